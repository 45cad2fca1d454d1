// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IDisputeGameFactory} from "./IDisputeGameFactory.sol";
import {Initializable} from "./Initializable.sol";
import {ISP1Verifier} from "./ISP1Verifier.sol";

/// @custom:proxied
/// @title OPSuccinctL2OutputOracle
/// @notice L1 output oracle with the interface and checks of upstream OP Succinct's
///         `OPSuccinctL2OutputOracle` v3.0.0: approved proposers (checked on `tx.origin`) submit L2
///         output roots with an SP1 aggregation proof whose public values bind the checkpointed L1 head,
///         the previous output root, the claimed root and block, and the rollup / range program config;
///         outputs "in the future" are refused; anyone may propose once `fallbackTimeout` has passed
///         without a proposal; the owner may switch to optimistic mode (proposals without proof, the
///         4-argument `proposeL2Output`) and set a dispute-game factory (then proposals go through
///         `dgfProposeL2Output`); the challenger may delete unfinalized outputs.
/// @dev Deployed like upstream: an implementation whose constructor disables initializers, behind a
///      proxy (`ERC1967Proxy`) that runs `initialize(InitParams)`. Written for this repository, not copied.
///      Deliberate differences from upstream v3.0.0:
///      - the initializer guard is this repository's `Initializable` (same revert strings as OZ 4.7),
///        and the proxy has no admin or upgrade path (upstream uses OP's admin `Proxy`);
///      - the v2 storage-compatibility getters upstream keeps as deprecated (`proposer`,
///        `aggregationVkey`, `rangeVkeyCommitment`, `rollupConfigHash`; never set by a v3 initialize)
///        are left out; the configs live in `opSuccinctConfigs` as upstream;
///      - `deleteL2Outputs` pops the deleted outputs (upstream overwrites the array length in assembly);
///      - `dgfProposeL2Output` returns the game's address (upstream types it `IDisputeGame`: same ABI);
///      - `version()` is a plain constant (upstream also declares `ISemver`), and the storage layout is
///        not upstream's: this contract can never take over an upstream deployment's storage.
contract OPSuccinctL2OutputOracle is Initializable {
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

    /// @notice `initialize` parameters, in upstream's order.
    struct InitParams {
        address challenger;
        address proposer;
        address owner;
        uint256 finalizationPeriodSeconds;
        uint256 l2BlockTime;
        bytes32 aggregationVkey;
        bytes32 rangeVkeyCommitment;
        bytes32 rollupConfigHash;
        bytes32 startingOutputRoot;
        uint256 startingBlockNumber;
        uint256 startingTimestamp;
        uint256 submissionInterval;
        address verifier;
        uint256 fallbackTimeout;
    }

    /// @notice Name of the configuration installed by `initialize`.
    bytes32 public constant GENESIS_CONFIG_NAME = keccak256("opsuccinct_genesis");

    /// @notice Semantic version, as upstream returns it.
    string public constant version = "v3.0.0";

    /// @notice Version of `initialize` (its `reinitializer` version).
    uint8 public constant initializerVersion = 3;

    /// @notice OP's `GameTypes.OP_SUCCINCT`: the game type `dgfProposeL2Output` creates.
    uint32 internal constant OP_SUCCINCT_GAME_TYPE = 6;

    /// @notice L2 block number of the starting output (index 0).
    uint256 public startingBlockNumber;

    /// @notice L2 timestamp of the starting output's block.
    uint256 public startingTimestamp;

    OutputProposal[] internal l2Outputs;

    /// @notice Minimum number of L2 blocks between two proposals.
    uint256 public submissionInterval;

    /// @notice L2 block time in seconds.
    uint256 public l2BlockTime;

    /// @notice The only address that may delete outputs.
    address public challenger;

    /// @notice Seconds after which an output is considered final on L1.
    uint256 public finalizationPeriodSeconds;

    /// @notice The SP1 verifier (gateway) proofs are checked with.
    address public verifier;

    /// @notice Administrator of proposers, configurations and modes.
    address public owner;

    /// @notice Addresses allowed to propose; `address(0)` approved means anyone may propose.
    mapping(address => bool) public approvedProposers;

    /// @notice L1 block hashes stored by `checkpointBlockHash`, by L1 block number.
    mapping(uint256 => bytes32) public historicBlockHashes;

    /// @notice While true, only the optimistic `proposeL2Output` (no proof) is accepted.
    bool public optimisticMode;

    /// @notice Seconds without a proposal after which anyone may submit a validity proposal.
    uint256 public fallbackTimeout;

    /// @notice SP1 program configurations by name.
    mapping(bytes32 => OpSuccinctConfig) public opSuccinctConfigs;

    /// @notice When set, validity proposals must come through `dgfProposeL2Output` (zero: direct).
    address public disputeGameFactory;

    /// @notice True only during `dgfProposeL2Output`'s call into the factory.
    bool internal _enteredDGFCreate;

    /// @notice Emitted when an output is proposed.
    event OutputProposed(
        bytes32 indexed outputRoot, uint256 indexed l2OutputIndex, uint256 indexed l2BlockNumber, uint256 l1Timestamp
    );

    /// @notice Emitted when outputs from `newNextOutputIndex` on are deleted.
    event OutputsDeleted(uint256 indexed prevNextOutputIndex, uint256 indexed newNextOutputIndex);

    /// @notice Emitted when a configuration is added.
    event OpSuccinctConfigUpdated(
        bytes32 indexed configName, bytes32 aggregationVkey, bytes32 rangeVkeyCommitment, bytes32 rollupConfigHash
    );

    /// @notice Emitted when a configuration is deleted.
    event OpSuccinctConfigDeleted(bytes32 indexed configName);

    /// @notice Emitted when the verifier changes.
    event VerifierUpdated(address indexed oldVerifier, address indexed newVerifier);

    /// @notice Emitted when ownership changes.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice Emitted when a proposer is approved or removed.
    event ProposerUpdated(address indexed proposer, bool added);

    /// @notice Emitted when the submission interval changes.
    event SubmissionIntervalUpdated(uint256 oldSubmissionInterval, uint256 newSubmissionInterval);

    /// @notice Emitted when the owner switches optimistic mode on or off.
    event OptimisticModeToggled(bool indexed enabled, uint256 finalizationPeriodSeconds);

    /// @notice Emitted when the dispute-game factory is set (or cleared).
    event DisputeGameFactorySet(address indexed disputeGameFactory);

    /// @notice `checkpointBlockHash` named a block outside the last 256 (or the current one).
    error L1BlockHashNotAvailable();

    /// @notice `proposeL2Output` named an L1 block whose hash was never checkpointed.
    error L1BlockHashNotCheckpointed();

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

    /// @notice The implementation itself can never be initialized: only a proxy's storage can.
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the oracle up (through the proxy): the starting output, the genesis config, the
    ///         first proposer, the owner, the challenger and the timing parameters.
    function initialize(InitParams memory _initParams) public reinitializer(initializerVersion) {
        require(_initParams.submissionInterval > 0, "L2OutputOracle: submission interval must be greater than 0");
        require(_initParams.l2BlockTime > 0, "L2OutputOracle: L2 block time must be greater than 0");
        require(
            _initParams.startingTimestamp <= block.timestamp,
            "L2OutputOracle: starting L2 timestamp must be less than current time"
        );
        submissionInterval = _initParams.submissionInterval;
        l2BlockTime = _initParams.l2BlockTime;
        // A re-initialization keeps the outputs and the starting block it already has.
        if (l2Outputs.length == 0) {
            l2Outputs.push(
                OutputProposal({
                    outputRoot: _initParams.startingOutputRoot,
                    timestamp: uint128(_initParams.startingTimestamp),
                    l2BlockNumber: uint128(_initParams.startingBlockNumber)
                })
            );
            startingBlockNumber = _initParams.startingBlockNumber;
            startingTimestamp = _initParams.startingTimestamp;
        }
        challenger = _initParams.challenger;
        finalizationPeriodSeconds = _initParams.finalizationPeriodSeconds;
        approvedProposers[_initParams.proposer] = true;
        fallbackTimeout = _initParams.fallbackTimeout;
        opSuccinctConfigs[GENESIS_CONFIG_NAME] = OpSuccinctConfig({
            aggregationVkey: _initParams.aggregationVkey,
            rangeVkeyCommitment: _initParams.rangeVkeyCommitment,
            rollupConfigHash: _initParams.rollupConfigHash
        });
        verifier = _initParams.verifier;
        owner = _initParams.owner;
        _enteredDGFCreate = false;
        disputeGameFactory = address(0);
    }

    /// @notice Deletes the output at `_l2OutputIndex` and every later one (challenger only); the
    ///         starting output and finalized outputs cannot be deleted.
    function deleteL2Outputs(uint256 _l2OutputIndex) external {
        require(msg.sender == challenger, "L2OutputOracle: only the challenger address can delete outputs");
        require(_l2OutputIndex > 0, "L2OutputOracle: cannot delete genesis output");
        require(
            _l2OutputIndex < l2Outputs.length, "L2OutputOracle: cannot delete outputs after the latest output index"
        );
        require(
            block.timestamp - l2Outputs[_l2OutputIndex].timestamp < finalizationPeriodSeconds,
            "L2OutputOracle: cannot delete outputs that have already been finalized"
        );
        uint256 prevNextOutputIndex = nextOutputIndex();
        while (l2Outputs.length > _l2OutputIndex) {
            l2Outputs.pop();
        }
        emit OutputsDeleted(prevNextOutputIndex, _l2OutputIndex);
    }

    /// @notice Proposes the output root of L2 block `_l2BlockNumber`, proven by `_proof` against the
    ///         checkpointed L1 block `_l1BlockNumber` under configuration `_configName`.
    /// @dev The proposer is `tx.origin`, as upstream: through `dgfProposeL2Output` the caller is the game
    ///      the factory creates, not the proposer. Anyone may propose once `fallbackTimeout` seconds
    ///      have passed since the latest output was stored.
    function proposeL2Output(
        bytes32 _configName,
        bytes32 _outputRoot,
        uint256 _l2BlockNumber,
        uint256 _l1BlockNumber,
        bytes memory _proof,
        address _proverAddress
    ) external whenNotOptimistic {
        require(
            approvedProposers[tx.origin] || approvedProposers[address(0)]
                || (block.timestamp - lastProposalTimestamp() > fallbackTimeout),
            "L2OutputOracle: only approved proposers can propose new outputs"
        );
        require(
            _l2BlockNumber >= nextBlockNumber(),
            "L2OutputOracle: block number must be greater than or equal to next expected block number"
        );
        require(
            computeL2Timestamp(_l2BlockNumber) < block.timestamp,
            "L2OutputOracle: cannot propose L2 output in the future"
        );
        if (disputeGameFactory != address(0)) {
            require(
                _enteredDGFCreate,
                "L2OutputOracle: cannot propose L2 output from outside DisputeGameFactory.create while disputeGameFactory is set"
            );
        } else {
            require(
                !_enteredDGFCreate,
                "L2OutputOracle: cannot propose L2 output from inside DisputeGameFactory.create without setting disputeGameFactory"
            );
        }
        require(_outputRoot != bytes32(0), "L2OutputOracle: L2 output proposal cannot be the zero hash");

        OpSuccinctConfig memory config = opSuccinctConfigs[_configName];
        require(isValidOpSuccinctConfig(config), "L2OutputOracle: invalid OP Succinct configuration");

        bytes32 l1BlockHash = historicBlockHashes[_l1BlockNumber];
        if (l1BlockHash == bytes32(0)) revert L1BlockHashNotCheckpointed();

        AggregationOutputs memory publicValues = AggregationOutputs({
            l1Head: l1BlockHash,
            l2PreRoot: l2Outputs[latestOutputIndex()].outputRoot,
            claimRoot: _outputRoot,
            claimBlockNum: _l2BlockNumber,
            rollupConfigHash: config.rollupConfigHash,
            rangeVkeyCommitment: config.rangeVkeyCommitment,
            proverAddress: _proverAddress
        });
        ISP1Verifier(verifier).verifyProof(config.aggregationVkey, abi.encode(publicValues), _proof);
        _storeOutput(_outputRoot, _l2BlockNumber);
    }

    /// @notice Optimistic mode only: proposes the output root of exactly the next L2 block without a
    ///         proof. A non-zero `_l1BlockHash` must be the hash of L1 block `_l1BlockNumber` (one of the
    ///         last 256), so the proposal cannot outlive a reorg of that block. No fallback timeout here.
    function proposeL2Output(bytes32 _outputRoot, uint256 _l2BlockNumber, bytes32 _l1BlockHash, uint256 _l1BlockNumber)
        external
        payable
        whenOptimistic
    {
        require(
            approvedProposers[msg.sender] || approvedProposers[address(0)],
            "L2OutputOracle: only approved proposers can propose new outputs"
        );
        require(
            _l2BlockNumber == nextBlockNumber(),
            "L2OutputOracle: block number must be equal to next expected block number"
        );
        require(
            computeL2Timestamp(_l2BlockNumber) < block.timestamp,
            "L2OutputOracle: cannot propose L2 output in the future"
        );
        require(_outputRoot != bytes32(0), "L2OutputOracle: L2 output proposal cannot be the zero hash");
        if (_l1BlockHash != bytes32(0)) {
            require(
                blockhash(_l1BlockNumber) == _l1BlockHash,
                "L2OutputOracle: block hash does not match the hash at the expected height"
            );
        }
        _storeOutput(_outputRoot, _l2BlockNumber);
    }

    /// @notice Proposes through the dispute-game factory (required once one is set): the factory creates
    ///         an OP Succinct game whose construction calls back into the validity `proposeL2Output`.
    function dgfProposeL2Output(
        bytes32 _configName,
        bytes32 _outputRoot,
        uint256 _l2BlockNumber,
        uint256 _l1BlockNumber,
        bytes memory _proof,
        address _proverAddress
    ) external payable whenNotOptimistic returns (address _game) {
        require(disputeGameFactory != address(0), "L2OutputOracle: dispute game factory is not set");
        _enteredDGFCreate = true;
        _game = IDisputeGameFactory(disputeGameFactory).create{value: msg.value}(
            OP_SUCCINCT_GAME_TYPE,
            _outputRoot,
            abi.encodePacked(_l2BlockNumber, _l1BlockNumber, _proverAddress, _configName, _proof)
        );
        _enteredDGFCreate = false;
    }

    /// @notice Stores the hash of L1 block `_blockNumber` (one of the last 256) for later proposals.
    function checkpointBlockHash(uint256 _blockNumber) external {
        bytes32 blockHash = blockhash(_blockNumber);
        if (blockHash == bytes32(0)) revert L1BlockHashNotAvailable();
        historicBlockHashes[_blockNumber] = blockHash;
    }

    /// @notice The output at index `_l2OutputIndex` (0 is the starting output).
    function getL2Output(uint256 _l2OutputIndex) external view returns (OutputProposal memory) {
        return l2Outputs[_l2OutputIndex];
    }

    /// @notice Index of the first output whose L2 block number is at least `_l2BlockNumber`.
    function getL2OutputIndexAfter(uint256 _l2BlockNumber) public view returns (uint256) {
        require(
            _l2BlockNumber <= latestBlockNumber(),
            "L2OutputOracle: cannot get output for a block that has not been proposed"
        );
        require(l2Outputs.length > 0, "L2OutputOracle: cannot get output as no outputs have been proposed yet");
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
    function latestOutputIndex() public view returns (uint256) {
        return l2Outputs.length - 1;
    }

    /// @notice Index the next proposed output will get.
    function nextOutputIndex() public view returns (uint256) {
        return l2Outputs.length;
    }

    /// @notice L2 block number of the newest output (the starting block before any output exists).
    function latestBlockNumber() public view returns (uint256) {
        return l2Outputs.length == 0 ? startingBlockNumber : l2Outputs[l2Outputs.length - 1].l2BlockNumber;
    }

    /// @notice Smallest L2 block number the next proposal may name.
    function nextBlockNumber() public view returns (uint256) {
        return latestBlockNumber() + submissionInterval;
    }

    /// @notice L1 timestamp at which the newest output was stored (the starting L2 timestamp for index 0).
    function lastProposalTimestamp() public view returns (uint256) {
        return l2Outputs.length == 0 ? startingTimestamp : l2Outputs[l2Outputs.length - 1].timestamp;
    }

    /// @notice L2 timestamp of block `_l2BlockNumber`.
    function computeL2Timestamp(uint256 _l2BlockNumber) public view returns (uint256) {
        return startingTimestamp + ((_l2BlockNumber - startingBlockNumber) * l2BlockTime);
    }

    /// @notice True when every field of `_config` is set.
    function isValidOpSuccinctConfig(OpSuccinctConfig memory _config) public pure returns (bool) {
        return _config.aggregationVkey != bytes32(0) && _config.rangeVkeyCommitment != bytes32(0)
            && _config.rollupConfigHash != bytes32(0);
    }

    /// @notice Sets the minimum number of L2 blocks between two proposals.
    function updateSubmissionInterval(uint256 _submissionInterval) external onlyOwner {
        require(_submissionInterval > 0, "L2OutputOracle: submission interval must be greater than 0");
        emit SubmissionIntervalUpdated(submissionInterval, _submissionInterval);
        submissionInterval = _submissionInterval;
    }

    /// @notice Adds configuration `_configName`; it must not exist yet.
    function addOpSuccinctConfig(
        bytes32 _configName,
        bytes32 _rollupConfigHash,
        bytes32 _aggregationVkey,
        bytes32 _rangeVkeyCommitment
    ) external onlyOwner {
        require(_configName != bytes32(0), "L2OutputOracle: config name cannot be empty");
        require(!isValidOpSuccinctConfig(opSuccinctConfigs[_configName]), "L2OutputOracle: config already exists");
        OpSuccinctConfig memory config = OpSuccinctConfig({
            aggregationVkey: _aggregationVkey,
            rangeVkeyCommitment: _rangeVkeyCommitment,
            rollupConfigHash: _rollupConfigHash
        });
        require(isValidOpSuccinctConfig(config), "L2OutputOracle: invalid OP Succinct configuration parameters");
        opSuccinctConfigs[_configName] = config;
        emit OpSuccinctConfigUpdated(_configName, _aggregationVkey, _rangeVkeyCommitment, _rollupConfigHash);
    }

    /// @notice Deletes configuration `_configName`.
    function deleteOpSuccinctConfig(bytes32 _configName) external onlyOwner {
        delete opSuccinctConfigs[_configName];
        emit OpSuccinctConfigDeleted(_configName);
    }

    /// @notice Points proof verification at `_verifier`.
    function updateVerifier(address _verifier) external onlyOwner {
        emit VerifierUpdated(verifier, _verifier);
        verifier = _verifier;
    }

    /// @notice Hands ownership to `_owner`.
    function transferOwnership(address _owner) external onlyOwner {
        emit OwnershipTransferred(owner, _owner);
        owner = _owner;
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

    /// @notice Switches to optimistic mode: validity proposals are refused until it is disabled.
    function enableOptimisticMode(uint256 _finalizationPeriodSeconds) external onlyOwner whenNotOptimistic {
        finalizationPeriodSeconds = _finalizationPeriodSeconds;
        optimisticMode = true;
        emit OptimisticModeToggled(true, _finalizationPeriodSeconds);
    }

    /// @notice Sets (or, with zero, clears) the dispute-game factory validity proposals must go through.
    function setDisputeGameFactory(address _disputeGameFactory) external onlyOwner {
        disputeGameFactory = _disputeGameFactory;
        emit DisputeGameFactorySet(_disputeGameFactory);
    }

    /// @notice Switches back to validity mode.
    function disableOptimisticMode(uint256 _finalizationPeriodSeconds) external onlyOwner whenOptimistic {
        finalizationPeriodSeconds = _finalizationPeriodSeconds;
        optimisticMode = false;
        emit OptimisticModeToggled(false, _finalizationPeriodSeconds);
    }

    function _storeOutput(bytes32 _outputRoot, uint256 _l2BlockNumber) internal {
        emit OutputProposed(_outputRoot, nextOutputIndex(), _l2BlockNumber, block.timestamp);
        l2Outputs.push(
            OutputProposal({
                outputRoot: _outputRoot,
                timestamp: uint128(block.timestamp),
                l2BlockNumber: uint128(_l2BlockNumber)
            })
        );
    }
}
