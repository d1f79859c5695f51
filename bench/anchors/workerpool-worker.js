// A workerpool worker offering one empty function, the cheapest pool.exec there is.
'use strict';
// The page names the worker after its workerpool build's address.
importScripts(self.name || 'workerpool.min.js');
workerpool.worker({ empty() {} });
