// The "Trả kết quả hồ sơ" box: a typed or scanned dossier code (a USB scanner types it and
// Enter) is returned, and its timeliness shown with the due date.
import { post } from "/static/common/api.js";
import { formatIsoDay } from "/static/common/format.js";
import { T, TIMELINESS } from "./strings.js";

const $ = (id) => document.getElementById(id);

export function wireDossierReturn({ onError, onEmpty, onReturned = () => {} }) {
  const input = $("return-code");
  const result = $("return-result");
  $("return-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = input.value.trim();
    result.textContent = "";
    result.className = "return-result";
    if (!code) {
      onEmpty(T.returnEmpty);
      input.focus();
      return;
    }
    try {
      const dossier = await post(`/api/dossiers/${encodeURIComponent(code)}/return`);
      const timeliness = TIMELINESS[dossier.timeliness] || dossier.timeliness;
      result.textContent = T.returned(dossier.code, timeliness, formatIsoDay(dossier.due_date));
      result.className = `return-result timeliness-${dossier.timeliness}`;
      input.value = "";
      onReturned(dossier);
    } catch (error) {
      onError(error);
      input.select();
    }
  });
}

/** Send a key typed outside any field into the box (a scanner needs no focus first). */
export function catchScannerKey(event) {
  if (event.key.length === 1 && /[0-9a-z-]/i.test(event.key)) $("return-code").focus();
}
