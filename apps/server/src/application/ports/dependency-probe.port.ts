/** One external dependency the readiness check asks; adapters register theirs under DEPENDENCY_PROBES. */
export interface DependencyProbe {
  name: string;
  adapter: string;
  check(): Promise<void>;
}

export const DEPENDENCY_PROBES = Symbol('DEPENDENCY_PROBES');
