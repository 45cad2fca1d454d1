// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title L2ToL1MessagePasser
/// @notice Minimal OP-stack message passer predeploy (0x4200000000000000000000000000000000000016).
///         Every withdrawal stores its hash in `sentMessages`, so the contract's storage root (part of
///         the OP output root) changes with each withdrawal.
/// @dev Seeded with `anvil_setCode`, so it holds no constructor logic and relies on zeroed storage.
contract L2ToL1MessagePasser {
    /// @notice Gas limit of the withdrawal made by a plain value transfer to this contract.
    uint256 internal constant RECEIVE_DEFAULT_GAS_LIMIT = 100_000;

    /// @notice Version encoded in the top two bytes of `messageNonce()`.
    uint16 public constant MESSAGE_VERSION = 1;

    /// @notice Hashes of every withdrawal initiated on this chain.
    mapping(bytes32 => bool) public sentMessages;

    /// @notice Number of withdrawals initiated so far.
    uint240 internal msgNonce;

    /// @notice Emitted for every withdrawal.
    event MessagePassed(
        uint256 indexed nonce,
        address indexed sender,
        address indexed target,
        uint256 value,
        uint256 gasLimit,
        bytes data,
        bytes32 withdrawalHash
    );

    receive() external payable {
        initiateWithdrawal(msg.sender, RECEIVE_DEFAULT_GAS_LIMIT, bytes(""));
    }

    /// @notice Starts a withdrawal to `target` on L1: records its hash and bumps the nonce.
    function initiateWithdrawal(address target, uint256 gasLimit, bytes memory data) public payable {
        uint256 nonce = messageNonce();
        bytes32 withdrawalHash = keccak256(abi.encode(nonce, msg.sender, target, msg.value, gasLimit, data));
        sentMessages[withdrawalHash] = true;
        emit MessagePassed(nonce, msg.sender, target, msg.value, gasLimit, data, withdrawalHash);
        unchecked {
            ++msgNonce;
        }
    }

    /// @notice The next withdrawal's nonce, with `MESSAGE_VERSION` in the top two bytes.
    function messageNonce() public view returns (uint256) {
        return (uint256(MESSAGE_VERSION) << 240) | uint256(msgNonce);
    }
}
