/**
 * SP1 GPU prover requirements (published by Succinct): ≥ 24 GB GPU memory, compute capability
 * ≥ 8.6, about 64 GB host RAM per prover node. Each admitted instance type is listed with the
 * facts that admitted it, so config validation can say why a type is refused.
 */
export interface GpuInstanceFacts {
  readonly gpu: 'L4' | 'L40S' | 'A10G' | 'H100' | 'A100' | 'T4';
  readonly gpuMemoryGiB: number;
  readonly computeCapability: number;
  readonly hostMemoryGiB: number;
  readonly vcpus: number;
  readonly gpus: number;
}

export const SP1_MIN_GPU_MEMORY_GIB = 24;
export const SP1_MIN_COMPUTE_CAPABILITY = 8.6;
export const SP1_MIN_HOST_MEMORY_GIB = 64;

export const GPU_INSTANCE_FACTS: Readonly<Record<string, GpuInstanceFacts>> = {
  'g6.xlarge': { gpu: 'L4', gpuMemoryGiB: 24, computeCapability: 8.9, hostMemoryGiB: 16, vcpus: 4, gpus: 1 },
  'g6.2xlarge': { gpu: 'L4', gpuMemoryGiB: 24, computeCapability: 8.9, hostMemoryGiB: 32, vcpus: 8, gpus: 1 },
  'g6.4xlarge': {
    gpu: 'L4',
    gpuMemoryGiB: 24,
    computeCapability: 8.9,
    hostMemoryGiB: 64,
    vcpus: 16,
    gpus: 1,
  },
  'g6.8xlarge': {
    gpu: 'L4',
    gpuMemoryGiB: 24,
    computeCapability: 8.9,
    hostMemoryGiB: 128,
    vcpus: 32,
    gpus: 1,
  },
  'g6.16xlarge': {
    gpu: 'L4',
    gpuMemoryGiB: 24,
    computeCapability: 8.9,
    hostMemoryGiB: 256,
    vcpus: 64,
    gpus: 1,
  },
  'g6e.xlarge': {
    gpu: 'L40S',
    gpuMemoryGiB: 48,
    computeCapability: 8.9,
    hostMemoryGiB: 32,
    vcpus: 4,
    gpus: 1,
  },
  'g6e.2xlarge': {
    gpu: 'L40S',
    gpuMemoryGiB: 48,
    computeCapability: 8.9,
    hostMemoryGiB: 64,
    vcpus: 8,
    gpus: 1,
  },
  'g6e.4xlarge': {
    gpu: 'L40S',
    gpuMemoryGiB: 48,
    computeCapability: 8.9,
    hostMemoryGiB: 128,
    vcpus: 16,
    gpus: 1,
  },
  'g6e.8xlarge': {
    gpu: 'L40S',
    gpuMemoryGiB: 48,
    computeCapability: 8.9,
    hostMemoryGiB: 256,
    vcpus: 32,
    gpus: 1,
  },
  'g5.xlarge': {
    gpu: 'A10G',
    gpuMemoryGiB: 24,
    computeCapability: 8.6,
    hostMemoryGiB: 16,
    vcpus: 4,
    gpus: 1,
  },
  'g5.2xlarge': {
    gpu: 'A10G',
    gpuMemoryGiB: 24,
    computeCapability: 8.6,
    hostMemoryGiB: 32,
    vcpus: 8,
    gpus: 1,
  },
  'g5.4xlarge': {
    gpu: 'A10G',
    gpuMemoryGiB: 24,
    computeCapability: 8.6,
    hostMemoryGiB: 64,
    vcpus: 16,
    gpus: 1,
  },
  'g5.8xlarge': {
    gpu: 'A10G',
    gpuMemoryGiB: 24,
    computeCapability: 8.6,
    hostMemoryGiB: 128,
    vcpus: 32,
    gpus: 1,
  },
  'g5.16xlarge': {
    gpu: 'A10G',
    gpuMemoryGiB: 24,
    computeCapability: 8.6,
    hostMemoryGiB: 256,
    vcpus: 64,
    gpus: 1,
  },
  'p5.48xlarge': {
    gpu: 'H100',
    gpuMemoryGiB: 80,
    computeCapability: 9.0,
    hostMemoryGiB: 2048,
    vcpus: 192,
    gpus: 8,
  },
  'p4d.24xlarge': {
    gpu: 'A100',
    gpuMemoryGiB: 40,
    computeCapability: 8.0,
    hostMemoryGiB: 1152,
    vcpus: 96,
    gpus: 8,
  },
  'g4dn.xlarge': {
    gpu: 'T4',
    gpuMemoryGiB: 16,
    computeCapability: 7.5,
    hostMemoryGiB: 16,
    vcpus: 4,
    gpus: 1,
  },
};

/**
 * Default GPU types for SP1 provers: 16 vCPUs, 64+ GiB host RAM and one ≥ 24 GB GPU each, so a
 * 16 vCPU / 58982 MiB / 1 GPU job fits every one of them (an 8-vCPU type could never run it).
 */
export const DEFAULT_SP1_INSTANCE_TYPES = ['g6.4xlarge', 'g6e.4xlarge', 'g5.4xlarge'] as const;

/**
 * RAM (MiB) an instance keeps for the OS, the ECS agent and the NVIDIA runtime, beyond what a job
 * may ask for: the larger of 2 GiB and 10 % of the nominal size (ECS also registers a little less
 * than the nominal size, so a job asking for nearly all of it would never be placed).
 */
export function hostMemoryHeadroomMiB(facts: GpuInstanceFacts): number {
  const nominalMiB = facts.hostMemoryGiB * 1024;
  return Math.max(2048, Math.ceil(nominalMiB * 0.1));
}

/** The most memory (MiB) a single job may request on an instance type with these facts. */
export function jobMemoryCapacityMiB(facts: GpuInstanceFacts): number {
  return facts.hostMemoryGiB * 1024 - hostMemoryHeadroomMiB(facts);
}

/**
 * Why a job with these resources can never be placed on `instanceType` (more vCPUs, GPUs or
 * memory than one instance offers), or `undefined` when it fits or the type is unknown.
 */
export function jobFitRefusal(
  instanceType: string,
  resources: { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number },
): string | undefined {
  const facts = GPU_INSTANCE_FACTS[instanceType];
  if (facts === undefined) return undefined;
  const refusals: string[] = [];
  if (resources.vcpus > facts.vcpus) refusals.push(`${resources.vcpus} vCPUs > ${facts.vcpus}`);
  if (resources.gpus > facts.gpus) refusals.push(`${resources.gpus} GPUs > ${facts.gpus}`);
  const memory = jobMemoryCapacityMiB(facts);
  if (resources.memoryMiB > memory) {
    refusals.push(
      `${resources.memoryMiB} MiB > ${memory} MiB (${facts.hostMemoryGiB} GiB less ${hostMemoryHeadroomMiB(facts)} MiB for the OS and ECS agent)`,
    );
  }
  if (refusals.length === 0) return undefined;
  return `${instanceType} (${facts.vcpus} vCPUs, ${facts.gpus} GPU${facts.gpus === 1 ? '' : 's'}, ${facts.hostMemoryGiB} GiB) cannot run the job: ${refusals.join(', ')}`;
}

/** Why an instance type cannot run the SP1 GPU prover, or `undefined` when it can. */
export function sp1InstanceRefusal(instanceType: string): string | undefined {
  const facts = GPU_INSTANCE_FACTS[instanceType];
  if (facts === undefined) {
    return `unknown GPU instance type; known: ${Object.keys(GPU_INSTANCE_FACTS).join(', ')}`;
  }
  if (facts.gpuMemoryGiB < SP1_MIN_GPU_MEMORY_GIB) {
    return `${facts.gpu} has ${facts.gpuMemoryGiB} GB GPU memory, SP1 needs ≥ ${SP1_MIN_GPU_MEMORY_GIB} GB`;
  }
  if (facts.computeCapability < SP1_MIN_COMPUTE_CAPABILITY) {
    return `${facts.gpu} has compute capability ${facts.computeCapability}, SP1 needs ≥ ${SP1_MIN_COMPUTE_CAPABILITY}`;
  }
  if (facts.hostMemoryGiB < SP1_MIN_HOST_MEMORY_GIB) {
    return `${instanceType} has ${facts.hostMemoryGiB} GiB host RAM, SP1 needs about ${SP1_MIN_HOST_MEMORY_GIB} GiB`;
  }
  return undefined;
}
