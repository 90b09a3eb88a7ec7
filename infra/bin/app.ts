// `npx cdk synth` / `npm run deploy`: builds the app; SCORECARD_NOW fixes the clock the export schedules use.
import { buildApp } from '../lib/app.ts';

const now = process.env.SCORECARD_NOW ? new Date(process.env.SCORECARD_NOW) : new Date();
buildApp({ now }).app.synth();
