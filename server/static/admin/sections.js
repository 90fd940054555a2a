// The sections of the admin page, in the order of its menu.
import { audit } from "./section-audit.js";
import { calendar } from "./section-calendar.js";
import { center } from "./section-center.js";
import { counters } from "./section-counters.js";
import { fields } from "./section-fields.js";
import { hub } from "./section-hub.js";
import { paperwork } from "./section-paperwork.js";
import { printers } from "./section-printers.js";
import { procedures } from "./section-procedures.js";
import { remote } from "./section-remote.js";
import { users } from "./section-users.js";

export const SECTIONS = [center, calendar, fields, procedures, counters, users, printers, paperwork, remote, hub, audit];
