import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { runStacks, mockStateDir, DeployAction, StackOutcome } from '../../../src/deploy/deploy';
import { startMockCloud, MockCloud } from '../../../src/mock/launch/daemon';
import { CloudStore } from '../../../src/mock/cloud/store';
import { deployedInventory } from '../../../src/cli/show';
import { Inventory } from '../../../src/inventory/types';

/**
 * A throwaway cdktf project folder with its own mock cloud, shared by one test file: each
 * `deploy(build)` synthesizes the app in-process and runs real Terraform against the mock.
 */
export class MockProject {
  public static async create(): Promise<MockProject> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-deploy-'));
    const cloud = await startMockCloud({ stateDir: mockStateDir(dir) });
    return new MockProject(dir, cloud);
  }

  private constructor(public readonly dir: string, private readonly cloud: MockCloud) {}

  /** Synthesize `build`'s stacks into this project (as `cdktf synth` would). */
  public synth(build: (app: App) => void): void {
    const outdir = path.join(this.dir, 'cdktf.out');
    fs.rmSync(outdir, { recursive: true, force: true });
    const app = new App({ outdir });
    build(app);
    app.synth();
  }

  /** Synthesize and run `action` on every stack. */
  public async run(action: DeployAction, build?: (app: App) => void, stacks: string[] = []): Promise<StackOutcome[]> {
    if (build) this.synth(build);
    return runStacks({ cwd: this.dir, action, skipSynth: true, mockCloud: this.cloud, stacks });
  }

  /** What Terraform state says is deployed. */
  public inventory(stacks: string[]): Inventory {
    return deployedInventory({ cwd: this.dir, stacks });
  }

  /** Records of `kind` in the mock AWS cloud. */
  public awsObjects<T = any>(kind: string): T[] {
    return this.objects<T>('aws', kind);
  }

  /** Records of `kind` in one provider's mock cloud. */
  public objects<T = any>(provider: 'aws' | 'google', kind: string): T[] {
    return CloudStore.forProvider(provider, mockStateDir(this.dir)).read((c) => c.list(kind)) as T[];
  }

  /** The environment Terraform needs to reach this mock cloud (for tests that drive it directly). */
  public get env(): Record<string, string> {
    return { ...this.cloud.env };
  }

  public async close(): Promise<void> {
    await this.cloud.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
