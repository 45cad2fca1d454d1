import { relative, sep } from 'node:path';
import { Annotations, IgnoreMode } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct, IConstruct } from 'constructs';
import type { DeployedStage } from '../deploy/deployment-config.js';
import { ecrRepositoryArn, parseEcrImageUri } from '../deploy/ecr-image-uri.js';

export interface JobImagesProps {
  /** The Batch stages; those without `executor.imageUri` run the image built from the repository. */
  readonly stages: readonly DeployedStage[];
  /** Repository root: the Docker build context of the job image, filtered by its `.dockerignore`. */
  readonly projectRoot: string;
  /** The rollup config file the pipeline config names (absolute path), under `config/rollup/`. */
  readonly rollupConfigFile: string;
  /** Image holding the prover binary under `/prover/` (`PROVER_IMAGE` build argument). @default - none */
  readonly proverImage?: string;
  /** Dockerfile of the job image, relative to `projectRoot`. @default 'batch-jobs/Dockerfile' */
  readonly dockerfile?: string;
  /** More Docker build arguments of the job image. @default - none */
  readonly imageBuildArgs?: Readonly<Record<string, string>>;
}

/**
 * Id of the synth warning for an `sp1` stage without a prover image (no `-c proverImage`, no
 * `imageUri`); acknowledge it with `Annotations.of(…).acknowledgeWarning` only for mock-prover stacks.
 */
export const NO_SP1_PROVER_IMAGE_WARNING = '@rollup-prover/no-sp1-prover-image';

/** Where the job image keeps the repository (`WORKDIR` of `batch-jobs/Dockerfile`). */
const IMAGE_APP_DIR = '/app';
/** The repository folder the job image copies with the rollup configs. */
const IMAGE_ROLLUP_CONFIG_DIR = 'config/rollup/';

/**
 * The container images of the Batch stages: the job image built from the repository (one Docker
 * image asset, built only if a stage uses it, with a build check that each configured prover command
 * is in the image), a stage's `imageUri` from a registry, or from private ECR (its repository imported
 * so the execution role may pull). Not a construct: it adds the asset (`JobImage`) and imported
 * repositories (`ImageRepository<n>`) to the scope it is given, so their construct ids stay where
 * they are (`ProvingCluster/JobImage`).
 */
export class JobImages {
  /** The rollup config's path inside the job image, or `undefined` when it lies outside `config/rollup/`. */
  readonly rollupConfigPath: string | undefined;
  private readonly scope: Construct;
  private readonly props: JobImagesProps;
  private assetImage: ecs.ContainerImage | undefined;
  private readonly ecrRepositories = new Map<string, ecr.IRepository>();

  /** @throws Error when a stage runs the built image but the rollup config lies outside `config/rollup/`. */
  constructor(scope: Construct, props: JobImagesProps) {
    this.scope = scope;
    this.props = props;
    this.rollupConfigPath = imageRollupConfigPath(props.projectRoot, props.rollupConfigFile);
    const builtImageStages = props.stages.filter((stage) => stage.executor.imageUri === undefined);
    if (this.rollupConfigPath === undefined && builtImageStages.length > 0) {
      throw new Error(
        `${scope.node.path}: chains.l2.rollupConfigPath resolves to ${props.rollupConfigFile}, expected a file under ${IMAGE_ROLLUP_CONFIG_DIR} of the repository (the job image copies only that folder)`,
      );
    }
  }

  /** The image `stage` runs (creating the job image asset or the ECR repository import on first use). */
  imageOf(stage: DeployedStage): ecs.ContainerImage {
    const uri = stage.executor.imageUri;
    if (uri === undefined) {
      this.assetImage ??= ecs.ContainerImage.fromDockerImageAsset(this.buildJobImage());
      return this.assetImage;
    }
    const ecrImage = parseEcrImageUri(uri);
    if (ecrImage === undefined) return ecs.ContainerImage.fromRegistry(uri);
    // A private ECR image: import its repository so the execution role gets pull rights on it.
    const repositoryArn = ecrRepositoryArn(ecrImage);
    let repository = this.ecrRepositories.get(repositoryArn);
    if (repository === undefined) {
      repository = ecr.Repository.fromRepositoryAttributes(
        this.scope,
        `ImageRepository${this.ecrRepositories.size + 1}`,
        { repositoryArn, repositoryName: ecrImage.repositoryName },
      );
      this.ecrRepositories.set(repositoryArn, repository);
    }
    return ecs.ContainerImage.fromEcrRepository(repository, ecrImage.tagOrDigest);
  }

  /**
   * Warns on `jobDefinition` when an `sp1` stage would run the built image without a prover image:
   * its jobs would run a mock prover, or the build fails for want of the prover command.
   */
  checkProverImage(jobDefinition: IConstruct, stage: DeployedStage): void {
    const { executor } = stage;
    if (executor.backend !== 'sp1' || executor.imageUri !== undefined || this.props.proverImage !== undefined)
      return;
    Annotations.of(jobDefinition).addWarningV2(
      NO_SP1_PROVER_IMAGE_WARNING,
      `Stage "${stage.name}" has backend "sp1" but neither context proverImage (-c proverImage=<image with the prover under /prover/>) nor stages[].executor.imageUri is given: the job image would carry only the mock provers, ${executor.command === undefined ? 'so its jobs would run a mock prover' : `so building it (cdk deploy) fails: "${executor.command[0]}" is not in the image`}.`,
    );
  }

  private buildJobImage(): DockerImageAsset {
    const { props } = this;
    // The image build fails unless each configured prover binary is on PATH (or at its absolute path).
    const requiredCommands = [
      ...new Set(
        props.stages.flatMap((stage) =>
          stage.executor.imageUri === undefined &&
          stage.executor.backend !== 'mock' &&
          stage.executor.command !== undefined
            ? [stage.executor.command[0] as string]
            : [],
        ),
      ),
    ];
    const buildArgs: Record<string, string> = {
      ...props.imageBuildArgs,
      ...(props.proverImage === undefined ? {} : { PROVER_IMAGE: props.proverImage }),
      ...(requiredCommands.length === 0 ? {} : { REQUIRED_PROVER_COMMANDS: requiredCommands.join(' ') }),
    };
    return new DockerImageAsset(this.scope, 'JobImage', {
      directory: props.projectRoot,
      file: props.dockerfile ?? 'batch-jobs/Dockerfile',
      platform: Platform.LINUX_AMD64,
      // The context is what the repository's .dockerignore lets through (the asset reads it), as for
      // a `docker build` by hand: only what the Dockerfile copies, so editing the CDK app, a Lambda
      // handler, tests or docs neither changes the asset hash nor rebuilds the image.
      ignoreMode: IgnoreMode.DOCKER,
      ...(Object.keys(buildArgs).length === 0 ? {} : { buildArgs }),
    });
  }
}

/**
 * The rollup config's path inside the job image (`/app/config/rollup/…`), or `undefined` when the
 * file lies outside `config/rollup/` of the repository (the image copies only that folder).
 */
function imageRollupConfigPath(projectRoot: string, rollupConfigFile: string): string | undefined {
  const inRepository = relative(projectRoot, rollupConfigFile).split(sep).join('/');
  if (!inRepository.startsWith(IMAGE_ROLLUP_CONFIG_DIR)) return undefined;
  return `${IMAGE_APP_DIR}/${inRepository}`;
}
