// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title ISP1Verifier
/// @notice The SP1 verifier interface the oracle calls (same shape as Succinct's SP1 verifier gateway).
interface ISP1Verifier {
    /// @notice Reverts unless `proofBytes` is a valid proof of `publicValues` for the program `programVKey`.
    /// @param programVKey The verification key of the program.
    /// @param publicValues The ABI-encoded public values the program committed.
    /// @param proofBytes The proof.
    function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proofBytes)
        external
        view;
}
