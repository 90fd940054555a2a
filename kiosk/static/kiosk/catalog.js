// The procedures as the kiosk offers them: grouped in fields, the same-day ones first.

// Whether a ticket taken now for this procedure, with a complete dossier, gets the same-day
// promise ("Không hẹn").
export const sameDayNow = (procedure, center) =>
  Boolean(procedure.no_appointment && center.no_appointment_day && center.no_appointment_open);

// Eligible procedures first while the no-appointment session is open; otherwise catalog order.
export function sortedForToday(procedures, center) {
  const rank = (procedure) => (sameDayNow(procedure, center) ? 0 : 1);
  return procedures
    .map((procedure, index) => ({ procedure, index }))
    .sort((a, b) => rank(a.procedure) - rank(b.procedure) || a.index - b.index)
    .map((entry) => entry.procedure);
}

export function fieldsOf(procedures, center) {
  const fields = new Map();
  for (const procedure of procedures) {
    if (procedure.online_help) continue;
    if (!fields.has(procedure.field)) {
      fields.set(procedure.field, {
        id: procedure.field,
        name: procedure.field_name || procedure.field,
        letter: procedure.letter || "",
        procedures: [],
        waiting: 0,
        sameDay: 0,
      });
    }
    const field = fields.get(procedure.field);
    field.procedures.push(procedure);
    field.waiting += procedure.waiting || 0;
    if (sameDayNow(procedure, center)) field.sameDay += 1;
  }
  for (const field of fields.values()) field.procedures = sortedForToday(field.procedures, center);
  return [...fields.values()];
}

export const onlineHelpProcedure = (procedures) =>
  procedures.find((procedure) => procedure.online_help) || null;

export const procedureName = (procedure) => procedure.short_name || procedure.name;
