// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Initializable
/// @notice The initializer guard of a contract deployed behind a proxy: the implementation's
///         constructor disables initialization, a proxy's storage runs `initialize` once per version.
/// @dev Written for this repository (OpenZeppelin is not a dependency); the revert strings are those of
///      OpenZeppelin Contracts v4.7, which upstream OP Succinct builds against, so callers see the same.
abstract contract Initializable {
    /// @notice The highest initializer version run on this storage (`type(uint8).max`: disabled).
    uint8 private _initialized;

    /// @notice True while an initializer runs.
    bool private _initializing;

    /// @notice Emitted when initializer version `version` has run.
    event Initialized(uint8 version);

    /// @notice Runs the function as initializer version `version`; each version runs at most once,
    ///         and never below a version already run.
    modifier reinitializer(uint8 version) {
        require(!_initializing && _initialized < version, "Initializable: contract is already initialized");
        _initialized = version;
        _initializing = true;
        _;
        _initializing = false;
        emit Initialized(version);
    }

    /// @notice Forbids every initializer on this storage (the implementation contract's own).
    function _disableInitializers() internal {
        require(!_initializing, "Initializable: contract is initializing");
        if (_initialized < type(uint8).max) {
            _initialized = type(uint8).max;
            emit Initialized(type(uint8).max);
        }
    }
}
