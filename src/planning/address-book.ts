import * as path from 'node:path';
import { ButterError } from '../errors';
import { readInputFile } from '../util/input-file';
import { AddressPlanner } from './cidr';
import { parseCidr } from './ipv4';
import { readLedger, writeLedger } from './ledger';

/**
 * Subnets of deployed state, handed to the app by `butter deploy`/`plan` (src/deploy/deploy.ts).
 *
 * Why: the ledger is a committed file and can lose an entry (a bad merge resolution, an entry
 * deleted by hand, a checkout of an older commit) while the subnet is still deployed. The next
 * synth would then hand that block out again and the cloud would refuse the new subnet (or, on
 * another network, two services would share addresses). So when Butter itself runs the app and
 * can read the stacks' state first, it writes every subnet CIDR found there to a file and names
 * it in this variable; the app's books mark those blocks busy before allocating. The app stays a
 * plain cdktf program: `cdktf synth` and tests, which set nothing, are unchanged.
 *
 * A file rather than the list itself: an environment variable holds at most 128 KiB on Linux,
 * about 7,000 subnets. The file holds CIDR blocks separated by white space.
 */
export const RESERVED_SUBNETS_ENV = 'BUTTER_RESERVED_SUBNETS_FILE';

/** The file names blocks, not blueprints: 4 MiB is some 200,000 subnets. */
const MAX_RESERVED_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The blocks named by {@link RESERVED_SUBNETS_ENV} in `env`; none when it is unset. Throws
 * `RESERVED_SUBNETS_INVALID` for a file that cannot be read or a word that is not a CIDR block.
 */
export function reservedSubnets(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = env[RESERVED_SUBNETS_ENV];
  if (!file) return [];
  const { text } = readInputFile(path.resolve(file), {
    code: 'RESERVED_SUBNETS_INVALID', what: `the deployed subnets file (${RESERVED_SUBNETS_ENV})`, maxBytes: MAX_RESERVED_FILE_BYTES, shown: file,
  });
  return text.split(/\s+/).filter((w) => w !== '').map((word) => {
    try {
      // The longest block has 18 characters: a longer word fails on its first 19, quoting little.
      parseCidr(word.slice(0, 19));
      return word;
    } catch (e) {
      if (!(e instanceof ButterError)) throw e;
      throw new ButterError('RESERVED_SUBNETS_INVALID', `the deployed subnets file names something that is not a CIDR block: ${e.problem}`, {
        file, hint: `unset ${RESERVED_SUBNETS_ENV}, or list one CIDR block per line`,
      });
    }
  });
}

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
      // Deployed subnets are honoured only with the ledger file: an in-memory book (tests,
      // `addressLedger: false`) stays deterministic.
      book = persist
        ? new AddressBook(new AddressPlanner(readLedger(file), { reserved: reservedSubnets() }), file)
        : new AddressBook(new AddressPlanner());
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
