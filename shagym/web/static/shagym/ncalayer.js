/* Signing with NCALayer (the National Certification Centre's desktop application) over its local WebSocket.
   Served by us; no inline script, no eval. Every page that uses it also works without it: the person may upload a
   signature made with another program, or (where the law allows) file without one.

   Markup: an element [data-ncalayer] inside a form, with
     data-ncalayer-url   NCALayer's address (wss://127.0.0.1:13579)
     data-sign-content   the bytes to sign, base64; or data-sign-url: a URL whose body is signed (the answer's PDF)
     data-sign-iin, data-sign-bin   whose key NCALayer should offer (signerParams)
     data-sign-field     the id of the hidden input that receives the CMS (base64)
     data-msg-*          the messages, translated by the page (connecting, missing, signing, failed, cancelled, done)
   and a button [data-sign-button]; a [data-sign-status] element shows what happens (aria-live). */
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  var CONNECT_TIMEOUT = 4000;

  function say(box, text, tone) {
    var status = box.querySelector("[data-sign-status]");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("is-error", tone === "error");
    status.classList.toggle("is-ok", tone === "ok");
  }

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer), chunks = [], size = 0x8000;
    for (var i = 0; i < bytes.length; i += size) {
      chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + size)));
    }
    return window.btoa(chunks.join(""));
  }

  function content(box) {
    if (box.dataset.signContent) { return Promise.resolve(box.dataset.signContent); }
    return fetch(box.dataset.signUrl, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("content " + response.status); }
      return response.arrayBuffer();
    }).then(toBase64);
  }

  // One request, one answer: open the socket, wait for NCALayer's greeting, send, read the reply.
  function ask(url, request) {
    return new Promise(function (resolve, reject) {
      var socket, greeted = false, done = false;
      var timer = window.setTimeout(function () { finish(reject, { missing: true }); }, CONNECT_TIMEOUT);
      function finish(callback, value) {
        if (done) { return; }
        done = true;
        window.clearTimeout(timer);
        try { socket.close(); } catch (ignored) { /* already closed */ }
        callback(value);
      }
      try { socket = new WebSocket(url); } catch (error) { finish(reject, { missing: true }); return; }
      socket.onerror = function () { finish(reject, { missing: !greeted }); };
      socket.onclose = function () { finish(reject, { missing: !greeted }); };
      socket.onmessage = function (event) {
        var reply;
        try { reply = JSON.parse(event.data); } catch (error) { return; }
        if (!greeted && reply.result && reply.result.version) {
          greeted = true;
          window.clearTimeout(timer);  // the person may take a while to choose the key and type the password
          socket.send(JSON.stringify(request));
          return;
        }
        finish(resolve, reply);
      };
    });
  }

  function basics(data, box) {
    var signer = { extKeyUsageOids: [], chain: [] };
    if (box.dataset.signIin) { signer.iin = box.dataset.signIin; }
    if (box.dataset.signBin) { signer.bin = box.dataset.signBin; }
    return {
      module: "kz.gov.pki.knca.basics", method: "sign",
      args: {
        allowedStorages: null, format: "cms", data: data,
        signingParams: { decode: true, encapsulate: false, digested: false },
        signerParams: signer, locale: document.documentElement.lang || "kk"
      }
    };
  }

  function commonUtils(data) {
    return { module: "kz.gov.pki.knca.commonUtils", method: "createCAdESFromBase64",
             args: ["PKCS12", "SIGNATURE", data, false] };
  }

  function signatureOf(reply) {
    if (reply.status === true && reply.body) {
      var result = reply.body.result;
      return Array.isArray(result) ? result[0] : result;
    }
    if (reply.code === "200" && reply.responseObject) { return reply.responseObject; }
    return null;
  }

  function cancelled(reply) {
    var text = String(reply.code || "") + " " + String(reply.message || "");
    return /cancel|отмен|бас тарт/i.test(text);
  }

  function sign(box, form, button) {
    var url = box.dataset.ncalayerUrl, field = document.getElementById(box.dataset.signField);
    button.disabled = true;
    say(box, box.dataset.msgConnecting);
    content(box).then(function (data) {
      return ask(url, basics(data, box)).then(function (reply) {
        if (signatureOf(reply) || cancelled(reply)) { return reply; }
        // An NCALayer without the basics module: the older commonUtils call signs the same way.
        return ask(url, commonUtils(data));
      });
    }).then(function (reply) {
      var cms = signatureOf(reply);
      if (!cms) {
        button.disabled = false;
        say(box, cancelled(reply) ? box.dataset.msgCancelled : box.dataset.msgFailed + " " + (reply.message || ""),
            "error");
        return;
      }
      field.value = cms;
      say(box, box.dataset.msgDone, "ok");
      form.submit();
    }).catch(function (problem) {
      button.disabled = false;
      say(box, problem && problem.missing ? box.dataset.msgMissing : box.dataset.msgFailed, "error");
      var help = box.querySelector("[data-sign-help]");
      if (help && problem && problem.missing) { help.open = true; }
    });
  }

  document.querySelectorAll("[data-ncalayer]").forEach(function (box) {
    var form = box.closest("form"), button = box.querySelector("[data-sign-button]");
    if (!form || !button) { return; }
    button.addEventListener("click", function () { sign(box, form, button); });
  });
})();
