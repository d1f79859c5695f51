// A workerpool worker offering one empty function, the cheapest pool.exec there is.
'use strict';
importScripts('workerpool.min.js');
workerpool.worker({ empty() {} });
