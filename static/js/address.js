// Address suggestions (portal/forms.py AddressStreetInput): the street input of an address becomes an ARIA 1.2
// combobox listing the addresses our server finds for what is typed (portal:address_search); choosing one fills the
// street, postcode and town of the same address. Without this file, or when nothing is found, the fields are typed by
// hand as before: a failed lookup shows nothing and says nothing.
(() => {
    if (window.gruAddressReady) {  // the script is included once per address question
        return;
    }
    window.gruAddressReady = true;
    const DELAY = 250;  // milliseconds after the last key before asking
    const MIN_LENGTH = 3;

    const enhance = (street) => {
        const prefix = street.name.slice(0, -"street".length);
        const part = (name) => street.form && street.form.elements.namedItem(prefix + name);
        const listbox = document.createElement("ul");
        const status = document.createElement("p");
        listbox.id = `${street.id}-suggestions`;
        listbox.className = "address-suggestions";
        listbox.setAttribute("role", "listbox");
        listbox.setAttribute("aria-label", street.dataset.addressListLabel);
        listbox.hidden = true;
        status.className = "visually-hidden";
        status.setAttribute("aria-live", "polite");
        street.after(listbox, status);
        street.setAttribute("role", "combobox");
        street.setAttribute("aria-autocomplete", "list");
        street.setAttribute("aria-expanded", "false");
        street.setAttribute("aria-controls", listbox.id);
        street.setAttribute("autocomplete", "off");  // the browser's own list would cover ours
        let results = [];
        let active = -1;
        let timer = null;
        let pending = null;

        const options = () => [...listbox.querySelectorAll("[role=option]")];
        const setActive = (index) => {
            active = index;
            options().forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
            if (index < 0) {
                street.removeAttribute("aria-activedescendant");
            } else {
                street.setAttribute("aria-activedescendant", options()[index].id);
                options()[index].scrollIntoView({block: "nearest"});
            }
        };
        const close = () => {
            listbox.hidden = true;
            street.setAttribute("aria-expanded", "false");
            setActive(-1);
        };
        const show = (found, message) => {
            results = found;
            listbox.replaceChildren(...found.map((suggestion, i) => {
                const option = document.createElement("li");
                option.id = `${listbox.id}-${i}`;
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.textContent = suggestion.label;
                return option;
            }));
            status.textContent = message;
            if (found.length) {
                listbox.hidden = false;
                street.setAttribute("aria-expanded", "true");
                setActive(-1);
            } else {
                close();
            }
        };
        const choose = (index) => {
            const suggestion = results[index];
            street.value = suggestion.street;
            [["postcode", suggestion.postcode], ["city", suggestion.city]].forEach(([name, value]) => {
                const input = part(name);
                if (input) {
                    input.value = value;
                    input.dispatchEvent(new Event("change", {bubbles: true}));
                }
            });
            close();
            status.textContent = suggestion.label;
            street.dispatchEvent(new Event("change", {bubbles: true}));
        };
        const lookup = async () => {
            const query = street.value.trim();
            if (pending) {
                pending.abort();
            }
            if (query.length < MIN_LENGTH) {
                show([], "");
                return;
            }
            pending = new AbortController();
            try {
                const url = `${street.dataset.addressSearch}?${new URLSearchParams({q: query})}`;
                const response = await fetch(url, {headers: {Accept: "application/json"}, signal: pending.signal});
                const answer = response.ok ? await response.json() : {results: [], message: ""};
                show(answer.results, answer.message);
            } catch (error) {  // offline, aborted by a newer key: the address is typed by hand
                if (error.name !== "AbortError") {
                    show([], "");
                }
            }
        };

        street.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(lookup, DELAY);
        });
        street.addEventListener("keydown", (event) => {
            const open = !listbox.hidden;
            if (event.key === "ArrowDown" && results.length) {
                event.preventDefault();
                if (!open) {
                    listbox.hidden = false;
                    street.setAttribute("aria-expanded", "true");
                }
                setActive((active + 1) % results.length);
            } else if (event.key === "ArrowUp" && open) {
                event.preventDefault();
                setActive(active <= 0 ? results.length - 1 : active - 1);
            } else if (event.key === "Enter" && open && active >= 0) {
                event.preventDefault();  // choosing an address does not send the form
                choose(active);
            } else if (event.key === "Escape" && open) {
                event.preventDefault();
                close();
            }
        });
        listbox.addEventListener("mousedown", (event) => event.preventDefault());  // the input keeps the focus
        listbox.addEventListener("click", (event) => {
            const option = event.target.closest("[role=option]");
            if (option) {
                choose(options().indexOf(option));
            }
        });
        street.addEventListener("blur", close);
    };

    const start = () => document.querySelectorAll("input[data-address-search]").forEach(enhance);
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
