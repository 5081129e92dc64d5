import type { IConstruct } from 'constructs';
import { googleLabelValue, googleName, GoogleNameBook, GoogleNameOptions } from '../../src/planning/google-names';
import type { Network } from '../network';

/**
 * Names of one network's Google resources: every name starts with the network's name (a
 * project may hold several Butter networks) and is claimed in the project's name book, so a
 * clash is a clear synth-time error instead of a failed apply.
 */
export class GoogleNames {
  private readonly book: GoogleNameBook;

  constructor(private readonly network: Network) {
    this.book = GoogleNameBook.of(network.node.root, network.project!);
  }

  /**
   * The name of a resource of `kind` (Google's name space: global kinds per project, regional
   * ones per region) owned by `holder`, from the network's name and `parts`.
   */
  public name(kind: string, holder: IConstruct, parts: readonly string[], opts?: GoogleNameOptions): string {
    const name = googleName([this.network.networkName, ...parts], opts);
    return this.book.claim(kind, name, holder.node.path);
  }

  /** A regional kind's name space includes the region (same name, other region: no clash). */
  public regional(kind: string): string {
    return `${kind} in ${this.network.region}`;
  }
}

/**
 * Labels on the Google resources that take them: the network and service they belong to, as
 * AWS tags do, so people can find (and bill) what Butter made.
 */
export function googleLabels(network: string, service?: string): Record<string, string> {
  return {
    'butter-network': googleLabelValue(network),
    ...(service !== undefined ? { 'butter-service': googleLabelValue(service) } : {}),
  };
}
