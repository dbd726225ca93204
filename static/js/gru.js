// Progressive enhancements shared by every page; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
    // Move focus to the error summary so screen reader and keyboard users land on the problems first.
    const summary = document.querySelector("[data-autofocus]");
    if (summary) {
        summary.focus();
    }
});
