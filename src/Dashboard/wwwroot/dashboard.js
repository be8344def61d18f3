// The few things only the browser knows or can do, called from the Dashboard's components.
window.aigDashboard = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    copy: async (text) => {
        await navigator.clipboard.writeText(text);
        return true;
    },
};
