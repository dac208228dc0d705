// Passkeys (WebAuthn): "Sign in with a passkey" on the sign-in page, "Use a passkey
// instead" in the sign-in's second step, and "Add a passkey" on /account/security. The
// portal gives the options, the browser's navigator.credentials makes or uses the passkey,
// and its answer goes back; binary fields travel as base64url. The messages come from the
// page (data-msg-* attributes, in the page's language). Without script, or in a browser
// without passkeys, the pages keep their password and code forms.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials && window.fetch);
  }

  // -- base64url <-> bytes ---------------------------------------------------------------
  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i += 1) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptor(found) {
    return Object.assign({}, found, { id: toBytes(found.id) });
  }

  function creationOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      user: Object.assign({}, json.user, { id: toBytes(json.user.id) }),
      excludeCredentials: (json.excludeCredentials || []).map(descriptor)
    });
  }

  function requestOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      allowCredentials: (json.allowCredentials || []).map(descriptor)
    });
  }

  // The PublicKeyCredential as JSON, the form the portal reads.
  function credentialJSON(credential) {
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: {},
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      if (response.userHandle) out.response.userHandle = toText(response.userHandle);
    }
    return out;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": csrf ? csrf.content : ""
      },
      body: JSON.stringify(body)
    }).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (data) {
        return { status: answer.status, ok: answer.ok, data: data || {} };
      });
    });
  }

  // A refusal to show: the page's message for it.
  function Refusal(message) { this.message = message; }

  // What the browser's own refusal means to the user.
  function browserMessage(error, box, exists) {
    if (error instanceof Refusal) return error.message;
    var name = error && error.name;
    if (name === "InvalidStateError" && exists) return exists;
    if (name === "NotAllowedError" || name === "AbortError") return box.dataset.msgCancelled;
    return box.dataset.msgFailed;
  }

  function say(status, text) { status.textContent = text || ""; }

  // -- signing in: without password, or as the second step -------------------------------
  function setUpSignIn(box) {
    var button = box.querySelector("button");
    var status = box.querySelector(".passkey-status");
    box.hidden = false;
    if (!supported()) {
      button.hidden = true;
      say(status, box.dataset.msgUnsupported);
      return;
    }
    var remember = document.getElementById("remember_me");

    function answered(result) {
      if (result.data.redirect) {
        if (result.ok) say(status, box.dataset.msgDone);
        window.location.assign(result.data.redirect);
        return;
      }
      throw new Refusal(result.data.message || box.dataset.msgFailed);
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say(status, box.dataset.msgWaiting);
      post(box.dataset.options, {}).then(function (offer) {
        if (!offer.ok) return answered(offer);
        var publicKey = requestOptions(offer.data.options);
        return navigator.credentials.get({ publicKey: publicKey }).then(function (credential) {
          return post(box.dataset.answer, {
            challenge_id: offer.data.challenge_id,
            credential: credentialJSON(credential),
            remember_me: !!(remember && remember.checked),
            next: box.dataset.next || "/"
          });
        }).then(answered);
      }).catch(function (error) {
        say(status, browserMessage(error, box));
        button.disabled = false;
      });
    });
  }

  // -- adding a passkey on /account/security ----------------------------------------------
  function fieldError(form, input, message) {
    var id = input.id + "-error";
    var shown = document.getElementById(id);
    if (!message) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      if (shown) shown.remove();
      return;
    }
    if (!shown) {
      shown = document.createElement("p");
      shown.className = "field-error";
      shown.id = id;
      input.insertAdjacentElement("afterend", shown);
    }
    shown.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    input.focus();
  }

  function refusalOf(result, form, password) {
    var errors = result.data.errors || [];
    var field = errors.length ? String(errors[0].field || "").split(".").pop() : "";
    if (result.status === 422 && field === "password") {
      fieldError(form, password, form.dataset.msgPasswordWrong);
      return new Refusal(form.dataset.msgPasswordWrong);
    }
    if (result.status === 429) return new Refusal(form.dataset.msgThrottled);
    if (result.status === 409) return new Refusal(form.dataset.msgConflict);
    if (result.status === 400) return new Refusal(form.dataset.msgExpired);
    if (result.status === 422) return new Refusal(form.dataset.msgRefused);
    return new Refusal(form.dataset.msgFailed);
  }

  function setUpAdd(form) {
    var status = form.querySelector(".passkey-status");
    var name = form.querySelector('input[name="name"]');
    var password = form.querySelector('input[name="password"]');
    var submit = form.querySelector('button[type="submit"]');
    if (!supported()) {
      submit.disabled = true;
      say(status, form.dataset.msgUnsupported);
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fieldError(form, name, "");
      fieldError(form, password, "");
      if (!name.value.trim()) { fieldError(form, name, form.dataset.msgName); return; }
      if (!password.value) { fieldError(form, password, form.dataset.msgPassword); return; }
      submit.disabled = true;
      say(status, form.dataset.msgWaiting);
      post(form.dataset.options, { password: password.value }).then(function (offer) {
        if (!offer.ok) throw refusalOf(offer, form, password);
        password.value = "";
        var publicKey = creationOptions(offer.data.options);
        return navigator.credentials.create({ publicKey: publicKey }).then(function (credential) {
          return post(form.dataset.answer, {
            challenge_id: offer.data.challenge_id,
            name: name.value.trim(),
            credential: credentialJSON(credential)
          });
        });
      }).then(function (added) {
        if (!added.ok) throw refusalOf(added, form, password);
        say(status, form.dataset.msgDone);
        window.location.assign(form.dataset.done);
      }).catch(function (error) {
        say(status, browserMessage(error, form, form.dataset.msgExists));
        submit.disabled = false;
      });
    });
  }

  document.querySelectorAll("[data-passkey]").forEach(setUpSignIn);
  document.querySelectorAll("form[data-passkey-add]").forEach(setUpAdd);
})();
