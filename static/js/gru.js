// Progressive enhancements shared by every page; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
    // Move focus to the error summary so screen reader and keyboard users land on the problems first.
    const summary = document.querySelector("[data-autofocus]");
    if (summary) {
        summary.focus();
    }
});

// Questions shown or hidden as the citizen answers: the server says which to hide (teleservices/_live.html).
document.addEventListener("htmx:afterSwap", () => {
    const live = document.getElementById("live");
    if (!live) {
        return;
    }
    const hidden = new Set((live.dataset.hidden || "").split(" ").filter(Boolean));
    document.querySelectorAll("[data-field-key]").forEach((item) => {
        item.hidden = hidden.has(item.dataset.fieldKey);
    });
});
