#!/bin/bash
# Startup script: install Apache and serve a page naming this host.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update
apt-get install -y apache2

host="$(hostname)"
cat > /var/www/html/index.html <<PAGE
<!doctype html>
<html>
  <head><title>$host</title></head>
  <body><h1>Served by $host (Apache)</h1></body>
</html>
PAGE

systemctl enable --now apache2
