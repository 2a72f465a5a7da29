/* One EventSource for every tab of this origin; each tab gets every message. */
var ports = [];
var last = null;
var source = new EventSource("/__cjmsite/events");
source.onmessage = function (event) {
  last = JSON.parse(event.data);
  ports.forEach(function (port) { port.postMessage(last); });
};
onconnect = function (event) {
  var port = event.ports[0];
  ports.push(port);
  if (last) port.postMessage(last);
  port.start();
};
