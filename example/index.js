// The app's entry point, named in app.json; Metro bundles from here. CommonJS, like the other
// JavaScript files of the repository.
const { AppRegistry } = require('react-native');

const { App } = require('./src/App');
const { name } = require('./app.json');

AppRegistry.registerComponent(name, () => App);
