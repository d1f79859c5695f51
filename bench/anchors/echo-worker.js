// The raw postMessage echo: every message goes straight back.
'use strict';
self.onmessage = (event) => self.postMessage(event.data);
