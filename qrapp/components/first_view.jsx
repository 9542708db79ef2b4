// A place for content the server writes into the exported page before React runs
// (qrapp/api/analytics_first.py): React hydrates it without touching what is inside
// (an element with dangerouslySetInnerHTML has no children to compare), and the
// constant, never-changing __html means no later render rewrites it. Once the live
// content is there (`done`), it empties itself before that frame is painted.
import { memo, useLayoutEffect, useRef } from "react";

const EMPTY = { __html: "" };

export const FirstView = memo(function FirstView({ done, id }) {
  const ref = useRef(null);
  useLayoutEffect(() => {
    if (done && ref.current) ref.current.innerHTML = "";
  }, [done]);
  return <div id={id} ref={ref} dangerouslySetInnerHTML={EMPTY} />;
});
