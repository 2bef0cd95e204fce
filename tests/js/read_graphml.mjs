// Read a GraphML file with graphology-graphml and print what it found as JSON.
// Usage: node read_graphml.mjs <file.graphml>
import { readFileSync } from "node:fs";
import { DOMParser } from "@xmldom/xmldom";
import Graph from "graphology";
import { parse } from "graphology-graphml";

const text = readFileSync(process.argv[2], "utf8");
const doc = new DOMParser().parseFromString(text, "application/xml");
const graph = parse(Graph, doc);
const nodes = {};
graph.forEachNode((key, attrs) => { nodes[key] = attrs; });
const edges = [];
graph.forEachEdge((key, attrs, source, target) => { edges.push({ source, target, attrs }); });
process.stdout.write(JSON.stringify({ order: graph.order, size: graph.size, type: graph.type, nodes, edges }));
