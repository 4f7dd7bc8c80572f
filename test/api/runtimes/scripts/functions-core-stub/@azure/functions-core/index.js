// Stand-in for the module the Azure Functions Node.js worker provides to apps (it is not on npm): records what
// @azure/functions registers, so the test can check the triggers and call the handlers as the worker would.
'use strict';
const registrations = [];
module.exports = {
  registrations,
  programmingModel: undefined,
  setProgrammingModel(model) {
    module.exports.programmingModel = model;
  },
  registerFunction(metadata, callback) {
    registrations.push({ metadata, callback });
    return { dispose() {} };
  },
  registerHook() {
    return { dispose() {} };
  },
  getProgrammingModel() {
    return module.exports.programmingModel;
  },
};
