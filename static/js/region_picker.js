// Province → city → county → township, chosen from the regions table instead of typed. The address form keeps its
// text fields (what is saved, and what a browser without script shows); each gets a select in front of it that fills
// it, and the text field is hidden once its select has choices. A region not in the table can still be typed:
// the last choice of each select (其他) shows the text field again. The words come from the script tag, translated.
(function () {
    "use strict";
    var script = document.currentScript;
    var WORDS = { choose: script.dataset.choose, other: script.dataset.other };
    var FIELDS = ["id_state", "id_line4", "id_line3", "id_line2"];
    var OTHER = "__other__";

    function fetchChildren(code) {
        var url = code ? "/shop/regions/" + encodeURIComponent(code) + "/children/" : "/shop/regions/children/";
        return fetch(url, { headers: { Accept: "application/json" } })
            .then(function (response) { return response.ok ? response.json() : { regions: [] }; })
            .then(function (data) { return data.regions; })
            .catch(function () { return []; });
    }

    function setup(form) {
        var steps = FIELDS.map(function (field) {
            var input = form.querySelector("#" + field);
            if (!input) { return null; }
            var select = document.createElement("select");
            select.className = "form-control region-picker mb-1";
            select.id = field + "_picker";
            select.hidden = true;
            input.parentNode.insertBefore(select, input);
            var label = form.querySelector("label[for='" + field + "']");
            var name = label ? label.textContent.replace("*", "").trim() : "";
            select.setAttribute("aria-label", name);
            return { input: input, select: select, label: name };
        }).filter(Boolean);

        function fill(index, regions) {
            var step = steps[index];
            if (!step) { return; }
            var select = step.select;
            select.replaceChildren();
            if (!regions.length) {
                select.hidden = true;
                step.input.hidden = false;
                return;
            }
            var prompt = new Option(WORDS.choose + " " + step.label, "");
            select.add(prompt);
            var current = step.input.value.trim();
            var chosen = null;
            regions.forEach(function (region) {
                var option = new Option(region.name, region.code);
                if (region.name === current) { option.selected = true; chosen = region.code; }
                select.add(option);
            });
            select.add(new Option(WORDS.other, OTHER));
            select.hidden = false;
            step.input.hidden = true;
            if (current && !chosen) {
                select.value = OTHER;
                step.input.hidden = false;
            }
            if (chosen) { fetchChildren(chosen).then(function (children) { fill(index + 1, children); }); }
        }

        function reset(from) {
            for (var i = from; i < steps.length; i++) {
                steps[i].select.replaceChildren();
                steps[i].select.hidden = true;
                steps[i].input.hidden = false;
                steps[i].input.value = "";
            }
        }

        steps.forEach(function (step, index) {
            step.select.addEventListener("change", function () {
                var value = step.select.value;
                reset(index + 1);
                if (value === OTHER) {
                    step.input.hidden = false;
                    step.input.value = "";
                    step.input.focus();
                    return;
                }
                step.input.hidden = true;
                step.input.value = value ? step.select.options[step.select.selectedIndex].text : "";
                if (value) { fetchChildren(value).then(function (children) { fill(index + 1, children); }); }
            });
        });

        fetchChildren("").then(function (regions) { fill(0, regions); });
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("form").forEach(function (form) {
            if (form.querySelector("#id_state") && form.querySelector("#id_line4") && form.querySelector("#id_line3")) {
                setup(form);
            }
        });
    });
})();
