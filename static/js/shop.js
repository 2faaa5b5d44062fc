// The shop's small behaviours, kept out of the pages because the Content-Security-Policy refuses inline script.
// Every one of them is an improvement: the pages work with this file missing.
(function () {
    "use strict";

    // Facet panel: opened by its address without script; with script it opens in place, without a history entry.
    function closeFacets() {
        var panel = document.getElementById("facet-panel");
        if (!panel) { return; }
        panel.classList.remove("is-open");
        document.body.classList.remove("facet-panel-open");
        if (window.location.hash === "#facet-panel") {
            history.replaceState(null, "", window.location.pathname + window.location.search);
        }
    }
    document.addEventListener("click", function (event) {
        var opener = event.target.closest("[data-facet-open]");
        if (opener) {
            var panel = document.getElementById("facet-panel");
            if (!panel) { return; }
            event.preventDefault();
            panel.classList.add("is-open");
            document.body.classList.add("facet-panel-open");
            var first = panel.querySelector("a, button");
            if (first) { first.focus(); }
            return;
        }
        if (event.target.closest("[data-facet-close]")) {
            event.preventDefault();
            closeFacets();
        }
    });
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { closeFacets(); }
    });

    // Quantity steppers: − and + within the input's own min and max (the stock that may be bought).
    document.addEventListener("click", function (event) {
        var button = event.target.closest("[data-step]");
        if (!button) { return; }
        var input = document.getElementById(button.getAttribute("aria-controls"));
        if (!input) { return; }
        event.preventDefault();
        var value = parseInt(input.value, 10) || 0;
        var min = parseInt(input.min, 10) || 1;
        var max = input.max ? parseInt(input.max, 10) : Infinity;
        value = Math.min(max, Math.max(min, value + parseInt(button.dataset.step, 10)));
        input.value = value;
        input.dispatchEvent(new Event("change", { bubbles: true }));
    });

    // Payment and address choices: the chosen card is marked for browsers without :has().
    function markChoices(root) {
        root.querySelectorAll(".choice-card").forEach(function (card) {
            var input = card.querySelector("input[type=radio]");
            card.classList.toggle("is-checked", Boolean(input && input.checked));
        });
    }
    document.addEventListener("change", function (event) {
        if (event.target.matches(".choice-card input[type=radio]")) {
            markChoices(event.target.closest("fieldset") || document);
        }
    });
    document.addEventListener("DOMContentLoaded", function () {
        markChoices(document);
        if (document.querySelector(".sticky-action-bar")) {
            document.body.classList.add("has-sticky-bar");
        }
        // The account's tabs scroll sideways on a phone: the current one is brought into the row's view.
        var row = document.getElementById("account-nav");
        var active = row && row.querySelector(".nav-link.active");
        if (active && row.scrollWidth > row.clientWidth) {
            row.scrollLeft = active.offsetLeft - (row.clientWidth - active.offsetWidth) / 2;
        }
    });
})();
