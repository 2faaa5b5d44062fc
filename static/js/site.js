// Behaviour that would otherwise sit in inline event handlers, which the Content-Security-Policy refuses.
document.addEventListener("change", function (event) {
    if (event.target.matches("[data-submit-on-change]") && event.target.form) {
        event.target.form.submit();
    }
});

document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
        window.print();
    }
});
