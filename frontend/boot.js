// Starts the app. A file rather than an inline script, so the page's Content-Security-Policy
// can refuse every inline script.
import init from "/cohort_frontend.js";
init();
