// Vetrina's part of the admin (/admin/): loaded after Decap CMS's bundle, it registers what
// Vetrina's configuration names, then starts the CMS.
//
// - `vetrina-group` and `vetrina-list`: Decap's object and list widgets under names of their
//   own, so that a group shared by every language can be `i18n: duplicate` (Decap refuses that
//   on its own object and list widgets).
// - `vetrina-list-file` and `vetrina-keyed-map`: data files whose top level is a list (an
//   event calendar) or a map of keys (organisations, funds), which Decap cannot edit as they
//   are; they are read and written as they are on disk, with js-yaml.
// - Before saving: the checks Decap cannot express (a group filled in half, a consent missing
//   beside a person); empty values are left out of the file, as an author writing by hand
//   would. The build checks everything again: this only says it earlier, in the form.
(function () {
  'use strict';
  var CMS = window.CMS;
  var jsyaml = window.jsyaml;

  var object = CMS.getWidget('object');
  var list = CMS.getWidget('list');
  CMS.registerWidget('vetrina-group', object.control, object.preview);
  CMS.registerWidget('vetrina-list', list.control, list.preview);

  var YAML_OPTIONS = { schema: jsyaml.CORE_SCHEMA, lineWidth: -1, noRefs: true };

  function readYaml(text) {
    return jsyaml.load(text || '', { schema: jsyaml.CORE_SCHEMA });
  }

  function writeYaml(value) {
    return jsyaml.dump(withoutEmpty(value) || [], YAML_OPTIONS);
  }

  // The configuration, once read (see `configPromise`): the order of the form's fields is
  // the order of the keys written, as an author writes them.
  var loadedConfig = null;

  // `value` with the keys of its maps in the order of `fields` (others after, as they were).
  function ordered(value, fields) {
    if (Array.isArray(value)) {
      return value.map(function (item) {
        return ordered(item, fields);
      });
    }
    if (value === null || typeof value !== 'object' || !fields) return value;
    var out = {};
    fields.forEach(function (f) {
      if (Object.prototype.hasOwnProperty.call(value, f.name)) {
        out[f.name] = ordered(value[f.name], f.fields);
      }
    });
    Object.keys(value).forEach(function (k) {
      if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = value[k];
    });
    return out;
  }

  // The fields of the items of list `listName` in a collection (or one of its files).
  function itemFields(collectionName, listName, sample) {
    var c = ((loadedConfig && loadedConfig.collections) || []).filter(function (c) {
      return c.name === collectionName;
    })[0];
    if (!c) return null;
    var candidates = (c.files || [c]).map(function (holder) {
      var list = (holder.fields || []).filter(function (f) {
        return f.name === listName;
      })[0];
      return (list && list.fields) || [];
    });
    // The file whose form knows most of the keys of the first item.
    var keys = Object.keys(sample || {});
    var best = null;
    var bestScore = -1;
    candidates.forEach(function (fields) {
      var score = keys.filter(function (k) {
        return fields.some(function (f) {
          return f.name === k;
        });
      }).length;
      if (score > bestScore) {
        best = fields;
        bestScore = score;
      }
    });
    return best;
  }

  CMS.registerCustomFormat('vetrina-list-file', 'yaml', {
    fromFile: function (text) {
      var events = readYaml(text);
      return { events: Array.isArray(events) ? events : [] };
    },
    toFile: function (data) {
      var events = data.events || [];
      return writeYaml(ordered(events, itemFields('events', 'events', events[0])));
    },
  });

  CMS.registerCustomFormat('vetrina-keyed-map', 'yaml', {
    fromFile: function (text) {
      var map = readYaml(text) || {};
      var items = Object.keys(map).map(function (key) {
        return Object.assign({ key: key }, map[key]);
      });
      return { items: items };
    },
    toFile: function (data) {
      var items = data.items || [];
      var fields = itemFields('data', 'items', items[0]);
      var map = {};
      items.forEach(function (item) {
        var record = ordered(item, fields);
        delete record.key;
        map[item.key] = record;
      });
      return writeYaml(map);
    },
  });

  // --------------------------------------------------------------- empty values

  function isEmpty(v) {
    if (v === null || v === undefined || v === '') return true;
    if (Array.isArray(v)) return v.length === 0;
    if (typeof v === 'object') {
      return Object.keys(v).every(function (k) {
        return isEmpty(v[k]);
      });
    }
    return false;
  }

  // Whether `v` holds anything a person wrote: a switch left off is nothing written.
  function isFilled(v) {
    if (v === false) return false;
    if (Array.isArray(v)) return v.some(isFilled);
    if (v !== null && typeof v === 'object') {
      return Object.keys(v).some(function (k) {
        return isFilled(v[k]);
      });
    }
    return !isEmpty(v);
  }

  // A copy of `v` without empty values (null, '', [], {}) in its maps.
  function withoutEmpty(v) {
    if (Array.isArray(v)) return v.map(withoutEmpty);
    if (v !== null && typeof v === 'object') {
      var out = {};
      Object.keys(v).forEach(function (k) {
        var c = withoutEmpty(v[k]);
        if (!isEmpty(c) || c === false || c === 0) out[k] = c;
      });
      return out;
    }
    return v;
  }

  // The paths (under `path`) of the empty values of the maps of `v`, innermost first.
  function emptyPaths(v, path, out) {
    if (v === null || typeof v !== 'object') return out;
    if (Array.isArray(v)) {
      v.forEach(function (item, i) {
        emptyPaths(item, path.concat([i]), out);
      });
      return out;
    }
    Object.keys(v).forEach(function (k) {
      var child = v[k];
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
        emptyPaths(child, path.concat([k]), out);
      }
      if (k !== 'body' && isEmpty(child)) out.push(path.concat([k]));
    });
    return out;
  }

  // --------------------------------------------------------------- checks before saving

  var configPromise = fetch('config.yml', { credentials: 'same-origin' })
    .then(function (r) {
      return r.text();
    })
    .then(readYaml)
    .then(function (config) {
      loadedConfig = config;
      return config;
    });

  function fieldsOf(config, collectionName, fileName) {
    var c = (config.collections || []).filter(function (c) {
      return c.name === collectionName;
    })[0];
    if (!c) return [];
    if (c.files) {
      var f = c.files.filter(function (f) {
        return f.name === fileName;
      })[0];
      return (f && f.fields) || [];
    }
    return c.fields || [];
  }

  // The problems of `data` against `fields`, in words for the person editing.
  function problems(fields, data, where, out) {
    data = data || {};
    fields.forEach(function (f) {
      var value = data[f.name];
      var label = where + '«' + (f.label || f.name) + '»';
      if (f.vetrina_required_with) {
        var other = fields.filter(function (o) {
          return o.name === f.vetrina_required_with;
        })[0];
        if (isFilled(data[f.vetrina_required_with]) && !isFilled(value)) {
          out.push(
            label + ' è obbligatorio quando è compilato «' +
              ((other && other.label) || f.vetrina_required_with) + '».'
          );
        }
      }
      if (!f.fields || !isFilled(value)) return;
      var items = f.widget === 'vetrina-list' ? value : [value];
      (Array.isArray(items) ? items : []).forEach(function (item, i) {
        var place = label + (f.widget === 'vetrina-list' ? ' n. ' + (i + 1) : '') + ', ';
        if (!isFilled(item)) return;
        f.fields.forEach(function (sub) {
          if (sub.vetrina_required && isEmpty(item && item[sub.name])) {
            out.push(place + '«' + (sub.label || sub.name) + '»: manca. Compilalo oppure svuota tutto il gruppo.');
          }
        });
        problems(f.fields, item, place, out);
      });
    });
    return out;
  }

  CMS.registerEventListener({
    name: 'preSave',
    handler: function (event) {
      var entry = event.entry;
      return configPromise.then(function (config) {
        var data = entry.get('data');
        var plain = data.toJS();
        var fields = fieldsOf(config, entry.get('collection'), entry.get('slug'));
        var found = problems(fields, plain, '', []);
        if (found.length) {
          throw new Error('Non salvato. ' + found.join(' '));
        }
        emptyPaths(plain, [], []).forEach(function (path) {
          data = data.deleteIn(path);
        });
        return data;
      });
    },
  });

  CMS.init();
})();
