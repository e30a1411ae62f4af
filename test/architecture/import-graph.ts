// The TypeScript import graph of program/ and tui/, read with the TypeScript compiler's own
// pre-processor (static, dynamic and type-only imports alike), and the layer map it must follow.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export const ROOT = resolve(import.meta.dirname, "../..");

/**
 * The layer map (README "Where things live"), lowest first. A module may import its own layer
 * or any lower one, never a higher one; folders of one layer must not form a cycle.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ["program/errors", "program/events", "program/env", "program/aws"],
  ["program/spec", "program/providers"],
  ["program/base", "program/stack", "program/watch", "program/driver", "program/sandbox-client"],
  ["program/app"],
  ["program/cli", "tui"],
];

export interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Every relative import of every module, as root-relative paths without extension. */
export function importEdges(dirs: readonly string[] = ["program", "tui"]): Edge[] {
  const edges: Edge[] = [];
  for (const file of dirs.flatMap(sourceFiles)) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith(".")) continue;
      const target = relative(ROOT, resolve(ROOT, dirname(file), ref.fileName)).replace(/\.(js|jsx|ts|tsx)$/, "");
      edges.push({ from: file.replace(/\.tsx?$/, ""), to: target });
    }
  }
  return edges;
}

/** The layer group a module belongs to: `program/spec`, `program/errors`, `tui`. */
export function groupOf(module: string): string {
  const parts = module.split("/");
  return parts[0] === "tui" ? "tui" : parts.slice(0, 2).join("/");
}

export function layerOf(group: string): number {
  const index = LAYERS.findIndex((layer) => layer.includes(group));
  if (index < 0)
    throw new Error(`${group} is in no layer: add it to LAYERS (test/architecture/import-graph.ts) and README`);
  return index;
}

/** Imports that point to a higher layer. */
export function upwardImports(edges: Edge[]): Edge[] {
  return edges.filter((e) => layerOf(groupOf(e.to)) > layerOf(groupOf(e.from)));
}

/** Strongly connected components with more than one member (Tarjan), each sorted. */
export function cycles(edges: Array<{ from: string; to: string }>): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (from === to) continue;
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)!.add(to);
    if (!next.has(to)) next.set(to, new Set());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** The folder-level graph: one edge per pair of different groups. */
export function groupEdges(edges: Edge[]): Edge[] {
  const seen = new Map<string, Edge>();
  for (const e of edges) {
    const from = groupOf(e.from);
    const to = groupOf(e.to);
    if (from !== to) seen.set(`${from} ${to}`, { from, to });
  }
  return [...seen.values()];
}
