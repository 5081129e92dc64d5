// The cdktf app of the examples: `npx cdktf synth` at the repository root runs this.
import { App } from 'cdktf';
import { buildExamples } from './stacks';

const app = new App();
buildExamples(app);
app.synth();
