import { AddressPlanner } from './cidr';
import { readLedger, writeLedger } from './ledger';

/**
 * An {@link AddressPlanner} tied to its ledger file: reads the file once, and rewrites it
 * (atomically) whenever an allocation is added, so the next synth reuses every block.
 *
 * One book per (app, file): every network of an app that names the same file shares one planner,
 * which is what keeps their blocks apart. A separate app in the same process (tests, the CLI)
 * starts from the file again and never sees another app's in-flight requests.
 */
export class AddressBook {
  private static readonly books = new WeakMap<object, Map<string, AddressBook>>();

  /**
   * The book for `file` in the app identified by `owner` (any object; constructs pass the
   * construct tree's root). Without a file, a fresh in-memory book that is never saved.
   */
  public static open(file: string | undefined, owner?: object): AddressBook {
    if (!file) return new AddressBook(new AddressPlanner());
    const key = owner ?? AddressBook;
    let perOwner = AddressBook.books.get(key);
    if (!perOwner) AddressBook.books.set(key, (perOwner = new Map()));
    let book = perOwner.get(file);
    if (!book) perOwner.set(file, (book = new AddressBook(new AddressPlanner(readLedger(file)), file)));
    return book;
  }

  private lastSaved?: string;

  private constructor(private readonly planner: AddressPlanner, public readonly file?: string) {}

  /** See {@link AddressPlanner.networkBlock}. */
  public networkBlock(network: string, allowedCidr: string, sizeBits: number): string {
    const block = this.planner.networkBlock(network, allowedCidr, sizeBits);
    this.save();
    return block;
  }

  /** See {@link AddressPlanner.serviceSubnets}. */
  public serviceSubnets(network: string, service: string, zones: number, prefix: number): string[] {
    const subnets = this.planner.serviceSubnets(network, service, zones, prefix);
    this.save();
    return subnets;
  }

  /** The current ledger, as it would be saved. */
  public snapshot() {
    return this.planner.ledger().ledger;
  }

  private save(): void {
    if (!this.file) return;
    const { ledger, changed } = this.planner.ledger();
    if (!changed) return;
    const text = JSON.stringify(ledger);
    if (text === this.lastSaved) return;
    writeLedger(this.file, ledger);
    this.lastSaved = text;
  }
}
