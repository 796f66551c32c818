// "Scan card" on the distribution screen: the camera reads a ration card's QR code (decoded by
// the vendored jsQR), the card number goes into the typed field and the form is submitted as
// if it had been typed. Messages come from the page (data-msg-*), already translated.
"use strict";
(function () {
  const scanner = document.querySelector("[data-card-scanner]");
  if (!scanner) return;
  const form = scanner.closest("form");
  const input = document.getElementById(scanner.dataset.for);
  const start = scanner.querySelector("[data-scan-start]");
  const stop = scanner.querySelector("[data-scan-stop]");
  const view = scanner.querySelector("[data-scan-view]");
  const video = scanner.querySelector("video");
  const status = scanner.querySelector("[data-scan-status]");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const EVERY_MS = 150; // a phone need not decode every frame
  const MAX_WIDTH = 640; // frames are scaled down before decoding
  let stream = null;
  let timer = null;

  function say(key, kind) {
    status.textContent = scanner.dataset["msg" + key] || key;
    status.className = "scan-status" + (kind ? " " + kind : "");
  }

  function finish() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    view.hidden = true;
    start.hidden = false;
  }

  function decodeFrame() {
    timer = null;
    if (!stream) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(frame.data, frame.width, frame.height, {
        inversionAttempts: "attemptBoth",
      });
      const text = code && code.data ? code.data.trim() : "";
      if (text) {
        finish();
        input.value = text;
        say("Found", "ok");
        // The same submission as a typed card number (Enter in the field).
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
        return;
      }
    }
    timer = window.setTimeout(decodeFrame, EVERY_MS);
  }

  async function begin() {
    if (!window.isSecureContext) return say("Insecure", "error");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return say("Absent", "error");
    }
    if (typeof window.jsQR !== "function") return say("Absent", "error");
    say("Starting");
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
    } catch (error) {
      stream = null;
      const name = error && error.name;
      if (name === "NotAllowedError" || name === "SecurityError") return say("Refused", "error");
      if (name === "NotFoundError" || name === "OverconstrainedError") {
        return say("Absent", "error");
      }
      if (name === "NotReadableError") return say("Busy", "error");
      return say("Failed", "error");
    }
    video.srcObject = stream;
    view.hidden = false;
    start.hidden = true;
    try {
      await video.play();
    } catch (error) {
      // Autoplay of a muted inline video is allowed; a refusal here leaves the frames paused.
    }
    say("Looking");
    decodeFrame();
  }

  start.hidden = false; // without JavaScript there is no scanner: the button stays hidden
  start.addEventListener("click", begin);
  stop.addEventListener("click", () => {
    finish();
    say("Stopped");
    input.focus();
  });
  window.addEventListener("pagehide", finish);
})();
