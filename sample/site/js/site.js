document.querySelectorAll('.cookie-banner button').forEach(function (b) {
  b.addEventListener('click', function () {
    document.getElementById('cookie-consent').hidden = true;
  });
});
