// Drag and drop for the page builder, over @dnd-kit/core.
//
// Every drag lives in the browser: the pointer or keyboard sensor, the overlay that follows
// the pointer and the drop indicator are React state here. Only the result of a drop goes
// to the server, as one event: onInsert(blockType, index) for a block type dragged from the
// palette, onMove(blockId, newIndex) for a block dragged to another place in the list.
//
// The drop position is computed from the list's own DOM rows (the first row whose middle is
// below the pointer) rather than dnd-kit's collision detection: rows do not shift while
// dragging, so the indicator line is the one thing that moves and the index it shows is
// exactly the index sent.
import React, { createContext, useContext, useEffect, useMemo, useRef, useState } from "react";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";

const Board = createContext(null);

const PALETTE = "palette:";
const BLOCK = "block:";

// The slot (0..rows) a point falls in, or null when it is outside the list.
function slotAt(list, point) {
  if (!list || !point) return null;
  const box = list.getBoundingClientRect();
  // A little margin so a drop just above the first or below the last row still counts.
  if (point.x < box.left - 24 || point.x > box.right + 24) return null;
  if (point.y < box.top - 32 || point.y > box.bottom + 32) return null;
  const rows = list.querySelectorAll("[data-block-row]");
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i].getBoundingClientRect();
    if (point.y < r.top + r.height / 2) return i;
  }
  return rows.length;
}

function labelOf(active) {
  return (active && active.data.current && active.data.current.label) || "block";
}

export function DndBoard({ blockIds, readOnly, onInsert, onMove, children }) {
  const ids = blockIds || [];
  const listRef = useRef(null);
  const pointer = useRef(null);
  const slotRef = useRef(null);
  const [active, setActive] = useState(null);
  const [slot, setSlot] = useState(null);
  // A keyboard drag moves one row per arrow key: the index the block would take.
  const keyPosition = useRef(null);
  const idsRef = useRef(ids);
  idsRef.current = ids;

  const place = (value) => {
    if (slotRef.current !== value) {
      slotRef.current = value;
      setSlot(value);
    }
  };

  const byRow = (event, { currentCoordinates }) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.code];
    if (!step || keyPosition.current === null) return undefined;
    event.preventDefault();
    const rows = listRef.current ? listRef.current.querySelectorAll("[data-block-row]") : [];
    const pitch =
      rows.length > 1
        ? rows[1].getBoundingClientRect().top - rows[0].getBoundingClientRect().top
        : 48;
    const { from, to: before } = keyPosition.current;
    const to = Math.max(0, Math.min(idsRef.current.length - 1, before + step));
    keyPosition.current = { from, to };
    // The slot is the gap the block goes into: below the row it passed when moving down.
    place(to > from ? to + 1 : to);
    return { x: currentCoordinates.x, y: currentCoordinates.y + (to - before) * pitch };
  };

  const sensors = useSensors(
    // A few pixels before a drag starts, so a click on a row or palette button stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: byRow })
  );

  // The pointer's viewport position, read in the capture phase so it is current when
  // dnd-kit reports the move (dnd-kit's delta is scroll-adjusted, row rects are not).
  useEffect(() => {
    if (!active) return undefined;
    const track = (e) => {
      if (keyPosition.current !== null) return; // a keyboard drag: the keys decide
      pointer.current = { x: e.clientX, y: e.clientY };
      place(slotAt(listRef.current, pointer.current));
    };
    window.addEventListener("pointermove", track, true);
    return () => window.removeEventListener("pointermove", track, true);
  }, [active]);

  const finish = () => {
    pointer.current = null;
    keyPosition.current = null;
    slotRef.current = null;
    setSlot(null);
    setActive(null);
  };

  const onDragStart = ({ active: a, activatorEvent }) => {
    pointer.current =
      activatorEvent && "clientX" in activatorEvent
        ? { x: activatorEvent.clientX, y: activatorEvent.clientY }
        : null;
    const id = String(a.id);
    if (!pointer.current && id.startsWith(BLOCK)) {
      const from = ids.indexOf(id.slice(BLOCK.length));
      keyPosition.current = from < 0 ? null : { from, to: from };
    }
    setActive({ id, label: labelOf(a) });
  };

  const onDragEnd = ({ active: a }) => {
    const target = slotRef.current;
    const id = String(a.id);
    lastDrop.current = target;
    finish();
    if (target === null || readOnly) return;
    if (id.startsWith(PALETTE)) {
      if (onInsert) onInsert(id.slice(PALETTE.length), target);
      return;
    }
    const blockId = id.slice(BLOCK.length);
    const from = ids.indexOf(blockId);
    if (from < 0) return;
    const to = target > from ? target - 1 : target;
    if (to !== from && onMove) onMove(blockId, to);
  };

  // The 1-based position a drop at `target` gives the dragged item (a moved block leaves a
  // gap above the slot when it moves down).
  const position = (id, target) => {
    const from = id.startsWith(BLOCK) ? idsRef.current.indexOf(id.slice(BLOCK.length)) : -1;
    return (from >= 0 && target > from ? target - 1 : target) + 1;
  };
  const lastDrop = useRef(null);

  const announcements = useMemo(
    () => ({
      onDragStart: ({ active: a }) => `Picked up ${labelOf(a)}.`,
      onDragMove: ({ active: a }) =>
        slotRef.current === null
          ? `${labelOf(a)} is outside the page.`
          : `${labelOf(a)} will go to position ${position(String(a.id), slotRef.current)}.`,
      onDragEnd: ({ active: a }) =>
        lastDrop.current === null
          ? `${labelOf(a)} was dropped outside the page: nothing changed.`
          : `${labelOf(a)} was dropped at position ${position(String(a.id), lastDrop.current)}.`,
      onDragCancel: ({ active: a }) => `Moving ${labelOf(a)} was cancelled.`,
    }),
    []
  );

  const board = useMemo(
    () => ({ ids, slot, active, listRef, readOnly: Boolean(readOnly) }),
    [ids, slot, active, readOnly]
  );

  return (
    <DndContext
      sensors={sensors}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={finish}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            "To move a block, press space or enter on its handle, use the arrow keys, " +
            "then press space or enter again to drop it, or escape to cancel. " +
            "The Move up and Move down buttons do the same one step at a time.",
        },
      }}
    >
      <Board.Provider value={board}>{children}</Board.Provider>
      <DragOverlay dropAnimation={null}>
        {active ? (
          <div
            style={{
              padding: "8px 14px",
              borderRadius: "8px",
              background: "var(--accent-9)",
              color: "var(--accent-contrast, white)",
              fontSize: "14px",
              fontWeight: 600,
              boxShadow: "0 6px 18px rgba(0,0,0,0.18)",
              cursor: "grabbing",
              whiteSpace: "nowrap",
              width: "max-content",
            }}
          >
            {active.label}
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

// One block type in the palette. Only the pointer starts a drag here: the button inside
// stays a plain button (Enter or a click adds the block), so the keyboard path is the
// button, not a drag.
export function PaletteItem({ blockType, label, children, ref: outerRef, ...rest }) {
  const board = useContext(Board);
  const { setNodeRef, listeners } = useDraggable({
    id: PALETTE + blockType,
    data: { label },
    disabled: !board || board.readOnly,
  });
  const onPointerDown = listeners ? listeners.onPointerDown : undefined;
  return (
    <div
      ref={(node) => {
        setNodeRef(node);
        bothRefs(null, outerRef)(node);
      }}
      onPointerDown={onPointerDown}
      data-palette-type={blockType}
      style={{ touchAction: "none", cursor: board && !board.readOnly ? "grab" : "default" }}
      {...rest}
    >
      {children}
    </div>
  );
}

// The page's block list: the area a drop lands in. Its rows are BlockRow children.
// Reflex gives an element with an id its own ref (a plain prop in React 19): keep it, and
// also point the board's list ref at the element.
function bothRefs(listRef, outer) {
  return (node) => {
    if (listRef) listRef.current = node;
    if (typeof outer === "function") outer(node);
    else if (outer) outer.current = node;
  };
}

export function BlockList({ children, ref: outerRef, ...rest }) {
  const board = useContext(Board);
  const dragging = Boolean(board && board.active);
  const over = dragging && board.slot !== null;
  const listRef = board ? board.listRef : null;
  const setRef = useMemo(() => bothRefs(listRef, outerRef), [listRef, outerRef]);
  return (
    <div
      ref={setRef}
      data-drop-over={over ? "true" : "false"}
      style={{
        display: "flex",
        flexDirection: "column",
        gap: "8px",
        width: "100%",
        boxSizing: "border-box",
        minHeight: "96px",
        padding: "8px",
        borderRadius: "12px",
        border: over ? "2px dashed var(--accent-9)" : "2px dashed transparent",
        background: over ? "var(--accent-2)" : "transparent",
        transition: "background 120ms, border-color 120ms",
      }}
      {...rest}
    >
      {children}
      {over && board.slot === board.ids.length ? <Indicator /> : null}
    </div>
  );
}

function Indicator() {
  return (
    <div
      data-drop-indicator="true"
      aria-hidden="true"
      style={{
        height: "4px",
        margin: "-6px 0",
        borderRadius: "2px",
        background: "var(--accent-9)",
        boxShadow: "0 0 0 2px var(--accent-4)",
        pointerEvents: "none",
      }}
    />
  );
}

const GRIP = (
  <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    {[5, 12, 19].map((y) =>
      [9, 15].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.6" fill="currentColor" />)
    )}
  </svg>
);

// One block of the page: a drag handle (pointer or keyboard) and the row's content.
export function BlockRow({ blockId, label, children, ref: outerRef, ...rest }) {
  const board = useContext(Board);
  const readOnly = !board || board.readOnly;
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, isDragging } = useDraggable({
    id: BLOCK + blockId,
    data: { label },
    disabled: readOnly,
  });
  const index = board ? board.ids.indexOf(blockId) : -1;
  const showLine = Boolean(board && board.active && board.slot !== null && board.slot === index);
  return (
    <>
      {showLine ? <Indicator /> : null}
      <div
        ref={(node) => {
          setNodeRef(node);
          bothRefs(null, outerRef)(node);
        }}
        data-block-row={blockId}
        style={{
          display: "flex",
          alignItems: "stretch",
          gap: "4px",
          opacity: isDragging ? 0.45 : 1,
        }}
        {...rest}
      >
        {readOnly ? null : (
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={`Drag to move ${label}`}
            data-drag-handle={blockId}
            style={{
              display: "flex",
              alignItems: "center",
              padding: "0 4px",
              border: "none",
              borderRadius: "6px",
              background: "transparent",
              color: "var(--gray-11)",
              cursor: isDragging ? "grabbing" : "grab",
              touchAction: "none",
            }}
          >
            {GRIP}
          </button>
        )}
        <div style={{ flex: 1, minWidth: 0 }}>{children}</div>
      </div>
    </>
  );
}
