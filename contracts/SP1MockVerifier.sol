// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ISP1Verifier} from "./ISP1Verifier.sol";

/// @title SP1MockVerifier
/// @notice SP1 mock-mode verifier: accepts exactly the empty proof that SP1's mock prover emits.
/// @dev For local chains and tests only; production configs point the oracle at a real verifier gateway.
contract SP1MockVerifier is ISP1Verifier {
    /// @inheritdoc ISP1Verifier
    function verifyProof(bytes32, bytes calldata, bytes calldata proofBytes) external pure {
        require(proofBytes.length == 0, "SP1MockVerifier: proof bytes must be empty");
    }
}
