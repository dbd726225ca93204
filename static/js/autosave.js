// A draft's page saved as the citizen types (teleservices/fill.html): two seconds after the last change, and when the
// page is left or hidden, the form is posted with action=autosave, without its files (they are sent by the page's
// own buttons only). The server keeps what is right so far and answers with a short text, read into the status
// region of the page (aria-live="polite"). Without this file, the page's buttons save it as before.
(() => {
    const DELAY = 2000;
    const form = document.querySelector("form[data-autosave]");
    if (!form) {
        return;
    }
    const status = document.getElementById(form.dataset.autosave);
    // The page's own address (form.action would be its buttons named "action").
    const url = form.getAttribute("action") || window.location.href;
    let timer = null;
    let changed = false;
    let submitting = false;

    const body = () => {
        const data = new FormData(form);
        form.querySelectorAll("input[type=file]").forEach((input) => data.delete(input.name));
        data.set("action", "autosave");
        return data;
    };

    const save = async () => {
        window.clearTimeout(timer);
        if (!changed || submitting) {
            return;
        }
        changed = false;
        try {
            const response = await fetch(url, { method: "POST", body: body(), credentials: "same-origin" });
            if (response.ok && !response.redirected) {
                const text = new DOMParser().parseFromString(await response.text(), "text/html").body.textContent;
                status.textContent = text.trim();
            } else {
                changed = true; // tried again with the next change
            }
        } catch {
            changed = true;
        }
    };

    // Leaving or hiding the page: the browser sends what is left to save even as the page goes away.
    const flush = () => {
        window.clearTimeout(timer);
        if (changed && !submitting) {
            changed = false;
            navigator.sendBeacon(url, body());
        }
    };

    const edited = (event) => {
        if (event.target.type === "file") {
            return;
        }
        changed = true;
        window.clearTimeout(timer);
        timer = window.setTimeout(save, DELAY);
    };
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    // A button of the page sends it (and its files): no autosave then. Listened to on window, after gru.js, which
    // may stop the sending (a file too large).
    window.addEventListener("submit", (event) => {
        if (event.target === form && !event.defaultPrevented) {
            submitting = true;
            window.clearTimeout(timer);
        }
    });
    document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "hidden") {
            flush();
        }
    });
    window.addEventListener("pagehide", flush);
    window.addEventListener("pageshow", () => {
        submitting = false; // back on the page from the browser's history
    });
})();
