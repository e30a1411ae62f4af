// The layer map holds: imports point down (README "Where things live"), folders form no cycle,
// the TUI sees only the core's contract, and the core names the TUI in one file only.
import { describe, expect, it } from "vitest";
import { cycles, groupEdges, groupOf, importEdges, LAYERS, layerOf, upwardImports, type Edge } from "./import-graph.js";

const edges = importEdges();
const show = (list: Edge[]) => list.map((e) => `${e.from} -> ${e.to}`);

describe("the layer map", () => {
  it("reads a real graph (every module is in a layer)", () => {
    expect(edges.length).toBeGreaterThan(200);
    for (const e of edges) {
      expect(() => layerOf(groupOf(e.from)), e.from).not.toThrow();
      expect(() => layerOf(groupOf(e.to)), e.to).not.toThrow();
    }
  });

  it("has no upward import", () => {
    expect(show(upwardImports(edges))).toEqual([]);
  });

  it("has no cycle between folders", () => {
    expect(cycles(groupEdges(edges))).toEqual([]);
  });

  it("has no cycle between modules", () => {
    expect(cycles(edges)).toEqual([]);
  });

  it("lets tui/ import only program/app and the event types", () => {
    const allowed = (to: string) => to.startsWith("tui/") || to.startsWith("program/app/") || to === "program/events";
    expect(show(edges.filter((e) => e.from.startsWith("tui/") && !allowed(e.to)))).toEqual([]);
  });

  it("names tui/ from program/ in the one file that opens it", () => {
    const opener = edges.filter((e) => e.from.startsWith("program/") && e.to.startsWith("tui/"));
    expect([...new Set(opener.map((e) => e.from))]).toEqual(["program/cli/open-tui"]);
  });

  it("catches what it claims to: an upward import and a cycle", () => {
    const planted: Edge[] = [
      { from: "program/spec/x", to: "program/driver/y" },
      { from: "program/driver/y", to: "program/spec/x" },
    ];
    expect(show(upwardImports(planted))).toEqual(["program/spec/x -> program/driver/y"]);
    expect(cycles(groupEdges(planted))).toEqual([["program/driver", "program/spec"]]);
    expect(LAYERS.flat()).toContain("program/app");
  });
});
