// Behaviour that would otherwise sit in inline event handlers, which the Content-Security-Policy refuses.
document.addEventListener("change", function (event) {
    if (event.target.matches("[data-submit-on-change]") && event.target.form) {
        event.target.form.submit();
    }
});

document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
        event.preventDefault();
        window.print();
    } else if (event.target.closest("[data-history-back]") && window.history.length > 1) {
        // Without a previous page the link's own address (a list or the home page) is followed instead.
        event.preventDefault();
        window.history.back();
    } else if (event.target.closest("[data-close-window]")) {
        event.preventDefault();
        window.close();
    }
});

// A product picture's preview: load and error do not bubble, so they are caught on the way down.
function uploadButtonOf(image) {
    return image.closest(".image-input").querySelector("button[id^='upload_button_']");
}

document.addEventListener("load", function (event) {
    if (event.target.matches && event.target.matches("img[data-image-preview]")) {
        uploadButtonOf(event.target).style.display = "none";
    }
}, true);

document.addEventListener("error", function (event) {
    if (event.target.matches && event.target.matches("img[data-image-preview]") && event.target.getAttribute("src")) {
        uploadButtonOf(event.target).style.display = "";
        window.alert(event.target.dataset.errorMessage);
    }
}, true);
