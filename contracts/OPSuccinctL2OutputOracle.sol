// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ISP1Verifier} from "./ISP1Verifier.sol";

/// @title OPSuccinctL2OutputOracle
/// @notice L1 output oracle speaking the OPSuccinctL2OutputOracle v3 interface: approved proposers
///         submit L2 output roots with an SP1 aggregation proof whose public values bind the L1 head,
///         the previous output root, the claimed root and block, and the rollup / range program config.
/// @dev A non-upgradeable rendition for local chains and tests. Optimistic mode is the production
///      switch (`optimisticMode`, `enableOptimisticMode`, `disableOptimisticMode`, validity proposals
///      refused while it is on); the optimistic `proposeL2Output` overload, the challenger and the
///      dispute-game factory are left out.
contract OPSuccinctL2OutputOracle {
    /// @notice A stored L2 output (OP `Types.OutputProposal`).
    struct OutputProposal {
        bytes32 outputRoot;
        uint128 timestamp;
        uint128 l2BlockNumber;
    }

    /// @notice The SP1 program configuration a proposal is verified under.
    struct OpSuccinctConfig {
        bytes32 aggregationVkey;
        bytes32 rangeVkeyCommitment;
        bytes32 rollupConfigHash;
    }

    /// @notice Public values of the aggregation program, ABI-encoded into `verifyProof`.
    struct AggregationOutputs {
        bytes32 l1Head;
        bytes32 l2PreRoot;
        bytes32 claimRoot;
        uint256 claimBlockNum;
        bytes32 rollupConfigHash;
        bytes32 rangeVkeyCommitment;
        address proverAddress;
    }

    /// @notice Constructor parameters.
    struct InitParams {
        address verifier;
        address owner;
        address[] proposers;
        bytes32 aggregationVkey;
        bytes32 rangeVkeyCommitment;
        bytes32 rollupConfigHash;
        bytes32 startingOutputRoot;
        uint256 startingBlockNumber;
        uint256 startingTimestamp;
        uint256 submissionInterval;
        uint256 l2BlockTime;
        uint256 finalizationPeriodSeconds;
    }

    /// @notice Name of the configuration installed at construction.
    bytes32 public constant GENESIS_CONFIG_NAME = keccak256("opsuccinct_genesis");

    /// @notice Interface version of the production contract this one mirrors.
    string public constant version = "3.0.0";

    /// @notice Minimum number of L2 blocks between two proposals.
    uint256 public submissionInterval;

    /// @notice L2 block time in seconds.
    uint256 public l2BlockTime;

    /// @notice L2 block number of the starting output (index 0).
    uint256 public startingBlockNumber;

    /// @notice L2 timestamp of the starting output's block.
    uint256 public startingTimestamp;

    /// @notice Seconds after which an output is considered final on L1.
    uint256 public finalizationPeriodSeconds;

    /// @notice The SP1 verifier (gateway) proofs are checked with.
    address public verifier;

    /// @notice Administrator of proposers and configurations.
    address public owner;

    /// @notice Addresses allowed to propose; `address(0)` approved means anyone may propose.
    mapping(address => bool) public approvedProposers;

    /// @notice L1 block hashes stored by `checkpointBlockHash`, by L1 block number.
    mapping(uint256 => bytes32) public historicBlockHashes;

    /// @notice SP1 program configurations by name.
    mapping(bytes32 => OpSuccinctConfig) public opSuccinctConfigs;

    OutputProposal[] internal l2Outputs;

    /// @notice While true, validity proposals (`proposeL2Output` with a proof) are refused.
    bool public optimisticMode;

    /// @notice Emitted when an output is proposed.
    event OutputProposed(
        bytes32 indexed outputRoot, uint256 indexed l2OutputIndex, uint256 indexed l2BlockNumber, uint256 l1Timestamp
    );

    /// @notice Emitted when a proposer is approved or removed.
    event ProposerUpdated(address indexed proposer, bool added);

    /// @notice Emitted when a configuration is added.
    event OpSuccinctConfigUpdated(
        bytes32 indexed configName, bytes32 aggregationVkey, bytes32 rangeVkeyCommitment, bytes32 rollupConfigHash
    );

    /// @notice Emitted when a configuration is deleted.
    event OpSuccinctConfigDeleted(bytes32 indexed configName);

    /// @notice Emitted when ownership changes.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice Emitted when the owner switches optimistic mode on or off.
    event OptimisticModeToggled(bool indexed enabled, uint256 finalizationPeriodSeconds);

    /// @notice Emitted when an L1 block hash is checkpointed.
    event BlockHashCheckpointed(uint256 indexed l1BlockNumber, bytes32 blockHash);

    /// @notice `proposeL2Output` named an L1 block whose hash was never checkpointed.
    error L1BlockHashNotCheckpointed();

    /// @notice `checkpointBlockHash` named a block outside the last 256 (or the current one).
    error L1BlockHashNotAvailable();

    modifier onlyOwner() {
        require(msg.sender == owner, "L2OutputOracle: caller is not the owner");
        _;
    }

    modifier whenOptimistic() {
        require(optimisticMode, "L2OutputOracle: optimistic mode is not enabled");
        _;
    }

    modifier whenNotOptimistic() {
        require(!optimisticMode, "L2OutputOracle: optimistic mode is enabled");
        _;
    }

    constructor(InitParams memory params) {
        require(params.submissionInterval > 0, "L2OutputOracle: submission interval must be greater than 0");
        require(params.l2BlockTime > 0, "L2OutputOracle: L2 block time must be greater than 0");
        require(params.verifier != address(0), "L2OutputOracle: verifier must be set");
        require(params.owner != address(0), "L2OutputOracle: owner must be set");
        require(params.startingOutputRoot != bytes32(0), "L2OutputOracle: starting output root must be set");

        submissionInterval = params.submissionInterval;
        l2BlockTime = params.l2BlockTime;
        startingBlockNumber = params.startingBlockNumber;
        startingTimestamp = params.startingTimestamp;
        finalizationPeriodSeconds = params.finalizationPeriodSeconds;
        verifier = params.verifier;
        owner = params.owner;
        emit OwnershipTransferred(address(0), params.owner);

        for (uint256 i = 0; i < params.proposers.length; i++) {
            approvedProposers[params.proposers[i]] = true;
            emit ProposerUpdated(params.proposers[i], true);
        }

        _addOpSuccinctConfig(
            GENESIS_CONFIG_NAME, params.rollupConfigHash, params.aggregationVkey, params.rangeVkeyCommitment
        );

        l2Outputs.push(
            OutputProposal({
                outputRoot: params.startingOutputRoot,
                timestamp: uint128(params.startingTimestamp),
                l2BlockNumber: uint128(params.startingBlockNumber)
            })
        );
    }

    /// @notice Stores the hash of L1 block `_blockNumber` (one of the last 256) for later proposals.
    function checkpointBlockHash(uint256 _blockNumber) external {
        bytes32 blockHash = blockhash(_blockNumber);
        if (blockHash == bytes32(0)) revert L1BlockHashNotAvailable();
        historicBlockHashes[_blockNumber] = blockHash;
        emit BlockHashCheckpointed(_blockNumber, blockHash);
    }

    /// @notice Proposes the output root of L2 block `_l2BlockNumber`, proven by `_proof` against the
    ///         checkpointed L1 block `_l1BlockNumber` under configuration `_configName`.
    function proposeL2Output(
        bytes32 _configName,
        bytes32 _outputRoot,
        uint256 _l2BlockNumber,
        uint256 _l1BlockNumber,
        bytes memory _proof,
        address _proverAddress
    ) external whenNotOptimistic {
        require(
            approvedProposers[msg.sender] || approvedProposers[address(0)],
            "L2OutputOracle: only approved proposers can propose new outputs"
        );
        require(
            _l2BlockNumber >= nextBlockNumber(),
            "L2OutputOracle: block number must be greater than or equal to next expected block number"
        );
        require(_outputRoot != bytes32(0), "L2OutputOracle: L2 output proposal cannot be the zero hash");

        bytes32 l1BlockHash = historicBlockHashes[_l1BlockNumber];
        if (l1BlockHash == bytes32(0)) revert L1BlockHashNotCheckpointed();

        OpSuccinctConfig memory config = opSuccinctConfigs[_configName];
        require(isValidOpSuccinctConfig(config), "L2OutputOracle: invalid OP Succinct configuration");

        AggregationOutputs memory publicValues = AggregationOutputs({
            l1Head: l1BlockHash,
            l2PreRoot: l2Outputs[l2Outputs.length - 1].outputRoot,
            claimRoot: _outputRoot,
            claimBlockNum: _l2BlockNumber,
            rollupConfigHash: config.rollupConfigHash,
            rangeVkeyCommitment: config.rangeVkeyCommitment,
            proverAddress: _proverAddress
        });
        ISP1Verifier(verifier).verifyProof(config.aggregationVkey, abi.encode(publicValues), _proof);

        emit OutputProposed(_outputRoot, l2Outputs.length, _l2BlockNumber, block.timestamp);
        l2Outputs.push(
            OutputProposal({
                outputRoot: _outputRoot,
                timestamp: uint128(block.timestamp),
                l2BlockNumber: uint128(_l2BlockNumber)
            })
        );
    }

    /// @notice Switches to optimistic mode: validity proposals are refused until it is disabled.
    function enableOptimisticMode(uint256 _finalizationPeriodSeconds) external onlyOwner whenNotOptimistic {
        finalizationPeriodSeconds = _finalizationPeriodSeconds;
        optimisticMode = true;
        emit OptimisticModeToggled(true, _finalizationPeriodSeconds);
    }

    /// @notice Switches back to validity mode.
    function disableOptimisticMode(uint256 _finalizationPeriodSeconds) external onlyOwner whenOptimistic {
        finalizationPeriodSeconds = _finalizationPeriodSeconds;
        optimisticMode = false;
        emit OptimisticModeToggled(false, _finalizationPeriodSeconds);
    }

    /// @notice Adds configuration `_configName`; it must not exist yet.
    function addOpSuccinctConfig(
        bytes32 _configName,
        bytes32 _rollupConfigHash,
        bytes32 _aggregationVkey,
        bytes32 _rangeVkeyCommitment
    ) external onlyOwner {
        _addOpSuccinctConfig(_configName, _rollupConfigHash, _aggregationVkey, _rangeVkeyCommitment);
    }

    /// @notice Deletes configuration `_configName`.
    function deleteOpSuccinctConfig(bytes32 _configName) external onlyOwner {
        delete opSuccinctConfigs[_configName];
        emit OpSuccinctConfigDeleted(_configName);
    }

    /// @notice Approves `_proposer`.
    function addProposer(address _proposer) external onlyOwner {
        approvedProposers[_proposer] = true;
        emit ProposerUpdated(_proposer, true);
    }

    /// @notice Revokes `_proposer`.
    function removeProposer(address _proposer) external onlyOwner {
        approvedProposers[_proposer] = false;
        emit ProposerUpdated(_proposer, false);
    }

    /// @notice Hands ownership to `_newOwner`.
    function transferOwnership(address _newOwner) external onlyOwner {
        require(_newOwner != address(0), "L2OutputOracle: new owner is the zero address");
        emit OwnershipTransferred(owner, _newOwner);
        owner = _newOwner;
    }

    /// @notice True when every field of `_config` is set.
    function isValidOpSuccinctConfig(OpSuccinctConfig memory _config) public pure returns (bool) {
        return _config.aggregationVkey != bytes32(0) && _config.rangeVkeyCommitment != bytes32(0)
            && _config.rollupConfigHash != bytes32(0);
    }

    /// @notice The output at index `_l2OutputIndex` (0 is the starting output).
    function getL2Output(uint256 _l2OutputIndex) external view returns (OutputProposal memory) {
        return l2Outputs[_l2OutputIndex];
    }

    /// @notice Index of the first output whose L2 block number is at least `_l2BlockNumber`.
    function getL2OutputIndexAfter(uint256 _l2BlockNumber) public view returns (uint256) {
        require(
            l2Outputs[l2Outputs.length - 1].l2BlockNumber >= _l2BlockNumber,
            "L2OutputOracle: cannot get output for a block that has not been proposed"
        );
        uint256 lo = 0;
        uint256 hi = l2Outputs.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (l2Outputs[mid].l2BlockNumber < _l2BlockNumber) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /// @notice The first output whose L2 block number is at least `_l2BlockNumber`.
    function getL2OutputAfter(uint256 _l2BlockNumber) external view returns (OutputProposal memory) {
        return l2Outputs[getL2OutputIndexAfter(_l2BlockNumber)];
    }

    /// @notice Index of the newest output.
    function latestOutputIndex() external view returns (uint256) {
        return l2Outputs.length - 1;
    }

    /// @notice Index the next proposed output will get.
    function nextOutputIndex() public view returns (uint256) {
        return l2Outputs.length;
    }

    /// @notice L2 block number of the newest output.
    function latestBlockNumber() public view returns (uint256) {
        return l2Outputs[l2Outputs.length - 1].l2BlockNumber;
    }

    /// @notice Smallest L2 block number the next proposal may name.
    function nextBlockNumber() public view returns (uint256) {
        return latestBlockNumber() + submissionInterval;
    }

    /// @notice L2 timestamp of block `_l2BlockNumber`.
    function computeL2Timestamp(uint256 _l2BlockNumber) external view returns (uint256) {
        return startingTimestamp + ((_l2BlockNumber - startingBlockNumber) * l2BlockTime);
    }

    /// @notice Legacy getter of `submissionInterval`.
    function SUBMISSION_INTERVAL() external view returns (uint256) {
        return submissionInterval;
    }

    /// @notice Legacy getter of `l2BlockTime`.
    function L2_BLOCK_TIME() external view returns (uint256) {
        return l2BlockTime;
    }

    /// @notice Legacy getter of `finalizationPeriodSeconds`.
    function FINALIZATION_PERIOD_SECONDS() external view returns (uint256) {
        return finalizationPeriodSeconds;
    }

    function _addOpSuccinctConfig(
        bytes32 _configName,
        bytes32 _rollupConfigHash,
        bytes32 _aggregationVkey,
        bytes32 _rangeVkeyCommitment
    ) internal {
        require(_configName != bytes32(0), "L2OutputOracle: config name cannot be empty");
        require(
            !isValidOpSuccinctConfig(opSuccinctConfigs[_configName]), "L2OutputOracle: config already exists"
        );
        OpSuccinctConfig memory config = OpSuccinctConfig({
            aggregationVkey: _aggregationVkey,
            rangeVkeyCommitment: _rangeVkeyCommitment,
            rollupConfigHash: _rollupConfigHash
        });
        require(isValidOpSuccinctConfig(config), "L2OutputOracle: invalid OP Succinct configuration parameters");
        opSuccinctConfigs[_configName] = config;
        emit OpSuccinctConfigUpdated(_configName, _aggregationVkey, _rangeVkeyCommitment, _rollupConfigHash);
    }
}
