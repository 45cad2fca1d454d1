// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IDisputeGameFactory
/// @notice The one call of OP's `DisputeGameFactory` the output oracle makes: creating a game. `GameType`
///         (uint32) and `Claim` (bytes32) are passed as their underlying types, so the ABI is the same.
interface IDisputeGameFactory {
    /// @notice Creates a dispute game of `gameType` for `rootClaim` with `extraData`; returns the game.
    function create(uint32 gameType, bytes32 rootClaim, bytes calldata extraData)
        external
        payable
        returns (address proxy);
}
