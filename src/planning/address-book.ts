import { AddressPlanner } from './cidr';
import { readLedger, writeLedger } from './ledger';

/** How a book keeps its allocations. */
export interface AddressBookOptions {
  /**
   * Read the ledger file and let {@link AddressBook.commit} write it. When false, the book
   * starts empty whatever the file holds and never writes it: allocations are deterministic and
   * in memory (tests, `addressLedger: false`).
   * @default true
   */
  readonly persist?: boolean;
}

/**
 * An {@link AddressPlanner} tied to its ledger file: reads the file once, keeps new allocations
 * in memory, and writes them (atomically) only when {@link commit} is called, which the
 * constructs do once the whole app has synthesized. A synth that fails part way (no image, no
 * instance type fits, a template error) leaves the file byte-identical.
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
  public static open(file: string | undefined, owner?: object, options: AddressBookOptions = {}): AddressBook {
    if (!file) return new AddressBook(new AddressPlanner());
    const persist = options.persist ?? true;
    const key = owner ?? AddressBook;
    let perOwner = AddressBook.books.get(key);
    if (!perOwner) AddressBook.books.set(key, (perOwner = new Map()));
    const id = `${persist ? 'file' : 'memory'}:${file}`;
    let book = perOwner.get(id);
    if (!book) {
      book = persist ? new AddressBook(new AddressPlanner(readLedger(file)), file) : new AddressBook(new AddressPlanner());
      perOwner.set(id, book);
    }
    return book;
  }

  private lastSaved?: string;

  private constructor(private readonly planner: AddressPlanner, public readonly file?: string) {}

  /** See {@link AddressPlanner.networkBlock}. */
  public networkBlock(network: string, allowedCidr: string, sizeBits: number): string {
    return this.planner.networkBlock(network, allowedCidr, sizeBits);
  }

  /** See {@link AddressPlanner.serviceSubnets}. */
  public serviceSubnets(network: string, service: string, zones: number, prefix: number): string[] {
    return this.planner.serviceSubnets(network, service, zones, prefix);
  }

  /** The current ledger, as it would be saved. */
  public snapshot() {
    return this.planner.ledger().ledger;
  }

  /** Write the allocations made so far to the ledger file, if any changed (in-memory books: nothing). */
  public commit(): void {
    if (!this.file) return;
    const { ledger, changed } = this.planner.ledger();
    if (!changed) return;
    const text = JSON.stringify(ledger);
    if (text === this.lastSaved) return;
    writeLedger(this.file, ledger);
    this.lastSaved = text;
  }
}
