// The staff workspace's entry: every screen registers its route, then the shell signs the user in and shows one.
import { start } from "./shell.js";
import "./screens/risk-queue.js";
import "./screens/care-record.js";
import "./screens/school-referrals.js";
import "./screens/follow-ups.js";
import "./screens/campaigns.js";
import "./screens/paper-entry.js";
import "./screens/roster.js";
import "./screens/consents.js";
import "./screens/activities.js";
import "./screens/training.js";
import "./screens/outreach.js";
import "./screens/supervision.js";
import "./screens/analysis.js";
import "./screens/inbox.js";
import "./screens/call.js";
import "./screens/calls.js";
import "./screens/board.js";
import "./screens/shifts.js";
import "./screens/reports.js";
import "./screens/dashboard.js";
import "./screens/notifications.js";
import "./screens/on-call.js";
import "./screens/contact.js";
import "./screens/erasures.js";
import { startBell } from "./screens/bell.js";

start().then(startBell);
