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

// A file over its question's size limit (data-max-size, vault/files.py) is refused before anything is sent: at once
// when chosen (in the capture phase, before htmx sends the form on change) and again when the form is submitted.
document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches("input[type=file][data-max-size]")) {
        return;
    }
    const tooLarge = [...input.files].some((file) => file.size > Number(input.dataset.maxSize));
    input.setCustomValidity(tooLarge ? input.dataset.maxSizeMessage : "");
    if (tooLarge) {
        input.value = "";
        event.stopImmediatePropagation();
        input.reportValidity();
    }
}, true);

// Sending files can take a while on a slow connection: say so, to everyone, while the page is sent.
document.addEventListener("submit", (event) => {
    const form = event.target;
    const refused = form.querySelector("input[type=file][data-max-size]:invalid");
    if (refused) {
        event.preventDefault();
        refused.reportValidity();
        return;
    }
    const files = [...form.querySelectorAll("input[type=file]")].some((input) => input.files.length > 0);
    const status = form.querySelector("[data-upload-status]");
    if (files && status) {
        status.hidden = false;
        status.querySelector("[data-upload-text]").textContent = status.dataset.uploadStatus;
    }
});

// On small screens the header's menu folds behind a button (components/menu_button.html); without this file the
// button stays hidden and the menu open. Escape folds it again and gives the focus back to the button.
document.querySelectorAll("[data-menu-button]").forEach((button) => {
    const setOpen = (open) => button.setAttribute("aria-expanded", String(open));
    button.hidden = false;
    button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
    document.getElementById(button.getAttribute("aria-controls")).addEventListener("keydown", (event) => {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
            setOpen(false);
            button.focus();
        }
    });
});
