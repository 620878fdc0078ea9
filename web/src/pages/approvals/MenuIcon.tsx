// The menu icon of 审批中心 with a badge: how many requests wait for the user's decision.
// Polled every minute and refreshed when an approval page announces a change.
import { useEffect, useState } from 'react';
import { Badge } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { getInbox } from './service';

export const INBOX_CHANGED = 'kam:approvals-inbox-changed';

/** Tells the badge to count again (after an approve, reject, return). */
export function announceInboxChange(): void {
  window.dispatchEvent(new Event(INBOX_CHANGED));
}

/** `className` comes from antd's Menu (its icon class), so spacing matches the other entries. */
export default function ApprovalsMenuIcon({ className }: { className?: string }) {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let alive = true;
    const load = () => {
      getInbox(1, 0)
        .then((box) => alive && setCount(box.count))
        .catch(() => undefined); // a badge never shows errors; 401 is handled by the client
    };
    load();
    const timer = window.setInterval(load, 60_000);
    window.addEventListener(INBOX_CHANGED, load);
    return () => {
      alive = false;
      window.clearInterval(timer);
      window.removeEventListener(INBOX_CHANGED, load);
    };
  }, []);
  return (
    <Badge count={count} size="small" offset={[4, -2]} className={className} data-testid="approvals-badge">
      <AuditOutlined style={{ color: 'inherit' }} />
    </Badge>
  );
}
