document.getElementById("app").textContent = "Welcome to the tea shop";
