// The service report of the selected case. Export PDF and Export Markdown
// download what the server makes of its saved notes (what is typed is sent
// first). The customer's sign-off of the report is signoff.js's.

import * as api from "./api.js";
import { failed, save } from "./saving.js";
import { isDirty, selectedCase } from "./state.js";
import { showError } from "./view.js";

// Long enough for the browser to have read the file it was handed.
const DOWNLOAD_URL_MS = 60_000;

/** Download the selected case's report, ``kind`` "pdf" or "md". */
export async function exportReport(kind) {
  const c = selectedCase();
  if (!c) return;
  showError("report-message", "");
  await save(c);
  if (isDirty(c)) {
    showError("report-message", "The latest text has not reached the server yet, so the "
      + "report would not hold it: export again once it is saved.");
    return;
  }
  try {
    const { blob, fileName } = await api.download(`${api.caseUrl(c.caseNumber)}/report.${kind}`);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), DOWNLOAD_URL_MS);
  } catch (error) {
    if (error instanceof api.SignedOut) {
      failed(error);
    } else {
      showError("report-message", error instanceof api.Unreachable
        ? "The server cannot be reached: export again shortly." : error.message);
    }
  }
}
