// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title ERC1967Proxy
/// @notice A minimal proxy: every call is delegated to the implementation stored in the EIP-1967 slot,
///         set once at construction, where `data` (e.g. an `initialize` call) runs in the proxy's storage.
/// @dev Written for this repository (OpenZeppelin is not a dependency). Upstream deploys its oracle behind
///      OP's admin `Proxy`; this one has no admin and no upgrade path: a local chain redeploys instead.
contract ERC1967Proxy {
    /// @notice `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`.
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    /// @notice Emitted when the implementation is set (EIP-1967).
    event Upgraded(address indexed implementation);

    constructor(address implementation, bytes memory data) payable {
        require(implementation.code.length > 0, "ERC1967Proxy: implementation is not a contract");
        assembly {
            sstore(IMPLEMENTATION_SLOT, implementation)
        }
        emit Upgraded(implementation);
        if (data.length > 0) {
            (bool ok, bytes memory returned) = implementation.delegatecall(data);
            if (!ok) {
                assembly {
                    revert(add(returned, 32), mload(returned))
                }
            }
        }
    }

    fallback() external payable {
        assembly {
            let implementation := sload(IMPLEMENTATION_SLOT)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), implementation, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    /// @dev Plain transfers are delegated too (the implementation decides).
    receive() external payable {
        assembly {
            let ok := delegatecall(gas(), sload(IMPLEMENTATION_SLOT), 0, 0, 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
