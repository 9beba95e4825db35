// The user form: the department list shows only the departments of the chosen company.
(function () {
  "use strict";
  var company = document.getElementById("company_id");
  var department = document.getElementById("department_id");
  if (!company || !department) return;
  function filter() {
    var chosen = company.value;
    Array.prototype.forEach.call(department.querySelectorAll("optgroup"), function (group) {
      var mine = false;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        var show = option.getAttribute("data-company") === chosen;
        option.hidden = !show;
        option.disabled = !show;
        mine = mine || show;
      });
      group.hidden = !mine;
    });
    var selected = department.options[department.selectedIndex];
    if (selected && selected.disabled) department.value = "0";
  }
  company.addEventListener("change", filter);
  filter();
})();
