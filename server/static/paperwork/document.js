// An A4 paper: "In giấy tờ (A4)" prints it; opened with ?print=1 (from the console) it prints
// at once, once its fonts are there (a page printed before Tinos loads falls back to another
// serif and may run onto a second page).
const print = () => document.fonts.ready.then(() => window.print());
document.getElementById("print-paper")?.addEventListener("click", print);
if (document.body.dataset.print === "now") print();
