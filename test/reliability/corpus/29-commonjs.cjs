const { Task } = require('@bigrays/core');
module.exports = {};
