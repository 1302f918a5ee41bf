/* The incident page: send a correction or a rejection with the token, then reload. */
(function () {
  "use strict";
  var form = document.getElementById("correct-form");
  if (!form) { return; }
  var id = form.dataset.id;
  var message = document.getElementById("review-message");
  var token = document.getElementById("token");
  var reviewer = document.getElementById("reviewer");
  try {
    if (token && sessionStorage.getItem("eventcoder-token")) { token.value = sessionStorage.getItem("eventcoder-token"); }
    if (localStorage.getItem("eventcoder-reviewer")) { reviewer.value = localStorage.getItem("eventcoder-reviewer"); }
  } catch (e) { /* storage may be disabled */ }

  function say(text, error) {
    message.textContent = text;
    message.className = error ? "error" : "";
  }

  function send(path, body) {
    var headers = { "Content-Type": "application/json" };
    if (token && token.value) {
      headers["Authorization"] = "Bearer " + token.value;
      try { sessionStorage.setItem("eventcoder-token", token.value); } catch (e) { /* ignore */ }
    }
    try { localStorage.setItem("eventcoder-reviewer", reviewer.value); } catch (e) { /* ignore */ }
    say("saving…", false);
    return fetch("/api/events/" + encodeURIComponent(id) + path, {
      method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) {
          var detail = data && data.detail;
          if (Array.isArray(detail)) { detail = detail.map(function (d) { return d.msg; }).join("; "); }
          throw new Error(detail || ("HTTP " + r.status));
        }
        say("saved", false);
        window.location.reload();
      });
    }).catch(function (err) { say(err.message, true); });
  }

  var field = document.getElementById("field");
  var value = document.getElementById("value");
  function fill() {
    var row = document.querySelector('tr[data-field="' + field.value + '"] td.value');
    value.placeholder = row ? row.firstChild.textContent.trim() : "";
  }
  field.addEventListener("change", fill);
  fill();

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    send("/corrections", { field: field.value, value: value.value, reviewer: reviewer.value,
                           note: document.getElementById("note").value });
  });
  document.getElementById("reject").addEventListener("click", function () {
    var status = document.getElementById("status").textContent.trim();
    if (status === "rejected") {
      send("/corrections", { field: "status", value: "active", reviewer: reviewer.value,
                             note: document.getElementById("note").value });
    } else {
      send("/reject", { reviewer: reviewer.value, note: document.getElementById("note").value });
    }
  });
})();
